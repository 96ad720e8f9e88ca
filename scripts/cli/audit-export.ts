import { createWriteStream, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { ValidationError } from "@/lib/core/errors";
import { CliFailedError, CliUsageError } from "./cli-errors";
import { defineCliCommand, requiredFlag, stringFlag, type CliFlags } from "./define-cli-command";
import { usageLine } from "./format-help";

const FORMATS = ["csv", "jsonl"] as const;
// Records around the events: JSON Lines has a checkpoint and an end line; CSV also a header.
const FRAMING_RECORDS = { csv: 3, jsonl: 2 } as const;

export const auditExportCli = defineCliCommand({
  words: ["audit", "export"],
  summary: "Export an organization's audit trail as JSON Lines or CSV",
  options: [
    { flag: "org", value: "slug", description: "The organization", required: true },
    { flag: "format", value: "csv|jsonl", description: "jsonl (default: exact values, for re-checking hashes) or csv (for spreadsheets)", field: "format" },
    { flag: "out", value: "file", description: "Write to this file instead of stdout (replaced only once the export is complete)" },
    { flag: "actor", value: "id|label", description: "An actor id, or the start of an actor label such as an email", field: "actor" },
    { flag: "action", value: "action", description: 'An action ("order.created") or a prefix ending in "." ("auth.")', field: "action" },
    { flag: "target", value: "id", description: "A target id", field: "target" },
    { flag: "branch", value: "branch", description: "Only events of this branch's subtree, by name or id", field: "branch" },
    { flag: "outcome", value: "outcome", description: "success, denied or failure", field: "outcome" },
    { flag: "from", value: "time", description: "Events at or after this ISO 8601 instant (UTC unless an offset is given)", field: "from" },
    { flag: "to", value: "time", description: "Events before this instant", field: "to" },
  ],
  details: [
    "Oldest first, in chain order: a line with the latest signed checkpoint, the events with their",
    "seq, prev_hash and hash, and an end line. Events appended while the export runs are left out.",
    "The export itself is recorded in the trail (audit.exported) before the first row is read.",
    "Without --out the export is written to stdout, so --json needs --out.",
  ],
  examples: ["audit export --org acme --out acme-audit.jsonl", "audit export --org acme --format csv --action auth. --from 2026-05-01 > sign-ins.csv"],
  async run({ flags, db }) {
    const out = stringFlag(flags, "out");
    if (flags.json && out === undefined) throw new CliUsageError("audit export: --json needs --out (without it the export itself is written to stdout).", usageLine(auditExportCli));
    const format = parseFormat(stringFlag(flags, "format"));
    const [{ auditFiltersSchema }, { exportAuditCsv, exportAuditJsonl, takeAuditExportSnapshot }, { recordAuditExportCommand }, app] = await Promise.all([
      import("@/lib/audit/schemas"),
      import("@/lib/audit/export-audit-events"),
      import("@/lib/audit/record-export"),
      import("./app-modules"),
    ]);
    const org = await app.resolveOrg(db, requiredFlag(flags, "org"));
    const branchFlag = stringFlag(flags, "branch");
    const branch = branchFlag === undefined ? undefined : await app.resolveBranch(db, org, branchFlag, { flag: "branch", field: "branch" });
    const parsed = auditFiltersSchema.safeParse({ ...filterFlags(flags), ...(branch ? { branch: branch.id } : {}) });
    if (!parsed.success) throw new ValidationError(fieldErrorsOf(parsed.error.issues));
    const filters = parsed.data;
    // The file is opened before the export is recorded, so a bad --out records nothing.
    const target = out === undefined ? stdoutTarget() : await openOutputFile(out);
    const principal = app.systemPrincipal("cli", org);
    const { records, snapshot } = await (async () => {
      try {
        await app.runCommand(recordAuditExportCommand, principal, app.systemMeta("cli"), { format, filters }, db);
        const snapshot = await takeAuditExportSnapshot(db, principal);
        const chunks = format === "csv" ? exportAuditCsv(db, principal, filters, { snapshot }) : exportAuditJsonl(db, principal, filters, { snapshot });
        const records = await writeChunks(chunks, target.stream);
        await target.commit();
        return { records, snapshot };
      } catch (error) {
        target.abandon();
        throw error;
      }
    })();
    const events = records - FRAMING_RECORDS[format];

    const cp = snapshot.checkpoint;
    const summary = {
      org: org.slug,
      format,
      file: out === undefined ? null : path.resolve(out),
      events,
      throughSeq: snapshot.throughSeq,
      checkpoint: cp ? { seq: cp.seq, hash: cp.hash, signedAt: cp.signedAt, keyId: cp.keyId } : null,
    };
    const signed = cp ? `latest signed checkpoint at event ${cp.seq} (key ${cp.keyId})` : "no signed checkpoint yet";
    return {
      // On stdout the export is the output: the summary would corrupt it.
      human: out === undefined ? [] : [`Exported ${events} event${events === 1 ? "" : "s"} of ${org.slug} to ${out} (${format}; chain through event ${snapshot.throughSeq}, ${signed}).`],
      json: summary,
    };
  },
});

function parseFormat(value: string | undefined): (typeof FORMATS)[number] {
  if (value === undefined) return "jsonl";
  const format = FORMATS.find((f) => f === value.trim().toLowerCase());
  if (!format) throw new ValidationError({ format: ['must be "csv" or "jsonl"'] });
  return format;
}

function filterFlags(flags: CliFlags): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const name of ["actor", "action", "target", "outcome", "from", "to"]) {
    const value = stringFlag(flags, name);
    if (value !== undefined) filters[name] = value;
  }
  return filters;
}

function fieldErrorsOf(issues: Array<{ path: PropertyKey[]; message: string }>): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) (fields[issue.path.map(String).join(".")] ??= []).push(issue.message);
  return fields;
}

/** Writes every chunk, waiting whenever the stream is full; returns the number of records written. */
async function writeChunks(chunks: AsyncIterable<string>, stream: Writable): Promise<number> {
  let records = 0;
  for await (const chunk of chunks) {
    for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) records++;
    if (!stream.write(chunk)) await once(stream, "drain");
  }
  return records;
}

interface OutputTarget {
  stream: Writable;
  /** Makes the output final: flushes it and, for a file, renames it into place. */
  commit(): Promise<void>;
  abandon(): void;
}

function stdoutTarget(): OutputTarget {
  return { stream: process.stdout, commit: async () => {}, abandon: () => {} };
}

/** A temporary file next to --out, renamed over it only once the export is complete. */
async function openOutputFile(file: string): Promise<OutputTarget> {
  const partial = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.partial`);
  // Owner-only: the trail holds emails and addresses.
  const stream = createWriteStream(partial, { flags: "wx", mode: 0o600 });
  try {
    await once(stream, "open");
  } catch (error) {
    throw new CliFailedError(`--out: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, { cause: error });
  }
  return {
    stream,
    async commit() {
      stream.end();
      await once(stream, "finish");
      renameSync(partial, file);
    },
    abandon() {
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}
