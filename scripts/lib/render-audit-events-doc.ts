import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getTableConfig } from "drizzle-orm/pg-core";
import { auditEvents } from "@/db/schema";
import { canonicalJson } from "@/lib/audit/canonical-json";
import { checkpointMessage } from "@/lib/audit/checkpoint";
import { GENESIS_HASH, hashEvent, type HashedEventFields } from "@/lib/audit/hash-event";
import type { CommandAccess } from "@/lib/core/command";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What the doc needs of a command: read from the exported definitions, not the registry. */
interface CommandInfo {
  name: string;
  description?: string;
  deniedAction?: string;
  access: CommandAccess;
}

/** The action recorded when a command without a deniedAction of its own is refused (lib/core/command.ts). */
const DEFAULT_DENIED_ACTION = "access.denied";

// One line per column of audit_events. A column added to the table without a line here makes
// the generator throw, so the field list can never silently fall behind the schema.
const FIELD_MEANINGS: Record<string, string> = {
  id: "Row id. Not hashed: it orders rows across chains and means nothing for integrity.",
  org_id: "The organization whose chain holds the event; null for the global chain (events before any organization is known, such as sign-ins and rejected API tokens).",
  seq: "Position in its chain: 1, 2, 3, ... with no gap.",
  occurred_at: "When the event was appended: the database clock in UTC, read once the chain's lock is held (so time never runs backwards along a chain), millisecond precision.",
  actor_type: "`user`, `api-token`, `system` (the operator: CLI, seed, workers) or `anonymous`.",
  actor_id: "The user id, or the API token id; null for `system` and `anonymous`.",
  actor_label: "The actor's email or name as it was at that moment; it stays even if the user is renamed or removed.",
  action: "What happened: one of the actions above.",
  target_type: "The kind of object acted on (`organization`, `branch`, `membership`, `grant`, `role`, `order`, `session`, `api-token`); null when there is none.",
  target_id: "That object's id.",
  branch_id: "The branch the target belongs to, so the trail can be filtered by part of the tree; null for organization-level events.",
  outcome: "`success`, `denied` (a refusal, or a command whose job is to record one) or `failure`.",
  ip: "The client's address: the socket's peer, or `X-Forwarded-For` as far as `TRUSTED_PROXIES` vouch for it; null for the CLI and workers.",
  user_agent: "The `User-Agent` header (first 512 characters); the operator's label for the CLI and workers.",
  request_id: "The request's id, also sent back as `X-Request-Id`, to find the server's log lines of the same request.",
  metadata: "JSON details: the before and after values of what changed, or a refusal's command, permission and reason. Never a password, token or other secret.",
  prev_hash: "The `hash` of the previous event in the same chain; 64 zeros for the first.",
  hash: "SHA-256, in hex, of the canonical encoding of the event (below).",
};

/**
 * docs/audit-events.md: the action vocabulary (every command's action, its refusal action and who
 * may run it), the fields of an event and how the hash chain is computed. `npm run docs` writes
 * it; tests/architecture/generated-docs.test.ts fails when the file is stale.
 */
export async function renderAuditEventsDoc(): Promise<string> {
  const commands = await loadCommands();
  const deniedActions = new Map<string, string[]>();
  for (const c of commands) {
    const denied = c.deniedAction ?? DEFAULT_DENIED_ACTION;
    deniedActions.set(denied, [...(deniedActions.get(denied) ?? []), c.name]);
  }
  const deniedRows = [...deniedActions.entries()].sort(([a], [b]) => (a === DEFAULT_DENIED_ACTION ? -1 : b === DEFAULT_DENIED_ACTION ? 1 : a.localeCompare(b)));

  return [
    "# Audit events",
    "",
    "Generated from the command definitions (`defineCommand` under `lib/`) and the `audit_events` table by `npm run docs`; do not edit by hand.",
    "A test fails when this file is stale.",
    "",
    "Every change in Countersign is a command (`lib/core/command.ts`), and a command's name is the action its audit event records.",
    "The event is appended in the command's own transaction: the change and its event commit together, or neither does.",
    "A refused command changes nothing and records its refusal in a transaction of its own.",
    "Invalid input, a conflict or a target that does not exist records nothing, since nothing happened.",
    "",
    "## Actions",
    "",
    "| Action | Recorded when | Denied action | Access |",
    "| --- | --- | --- | --- |",
    ...commands.map((c) => `| \`${c.name}\` | ${cell(c.description ?? "—")} | \`${c.deniedAction ?? DEFAULT_DENIED_ACTION}\` | ${describeAccess(c.access)} |`),
    "",
    "Access is who may start the command before it looks at its input: a member holding the permission somewhere in the organization",
    "(the command then checks it at the target's branch), the operator only (the CLI, seed and workers, as the `system` actor),",
    "any signed-in actor acting on themselves, or anyone.",
    "",
    "## Recorded when a command is refused",
    "",
    "These are not commands of their own: the command wrapper records one when a command is refused for want of a permission or a valid sign-in.",
    "The event has outcome `denied`, the refused actor, and metadata with the command's action (`command`), the `reason` and, when one was missing, the `permission`.",
    "",
    "| Action | Recorded when | Refused commands |",
    "| --- | --- | --- |",
    ...deniedRows.map(([action, names]) => `| \`${action}\` | ${action === DEFAULT_DENIED_ACTION ? "A command was refused: the actor lacks the permission at that branch, or is not signed in (the default)." : `Recorded instead of the default when ${names.map((n) => `\`${n}\``).join(" or ")} is refused; the metadata adds what the command knows of the reason.`} | ${names.map((n) => `\`${n}\``).join(", ")} |`),
    "",
    "## Fields of an event",
    "",
    "One row of `audit_events`. The table is append-only: its triggers refuse UPDATE, DELETE and TRUNCATE, for the table's owner too,",
    "and the app's database role may only INSERT and SELECT it.",
    "",
    "| Field | Type | Meaning |",
    "| --- | --- | --- |",
    ...describeColumns(),
    "",
    ...describeHashing(),
  ].join("\n");
}

async function loadCommands(): Promise<CommandInfo[]> {
  const byName = new Map<string, CommandInfo>();
  for (const file of findCommandModules()) {
    const mod = (await import(pathToFileURL(path.join(root, file)).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (!isCommand(value)) continue;
      const existing = byName.get(value.name);
      if (existing && existing !== value) throw new Error(`Two commands record the action "${value.name}" (${file}).`);
      byName.set(value.name, value);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Every module under lib/ that declares a command, as the architecture tests find them. */
function findCommandModules(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && readFileSync(path.join(root, rel), "utf8").includes("defineCommand(")) found.push(rel);
    }
  };
  walk("lib");
  return found;
}

function isCommand(value: unknown): value is CommandInfo {
  const v = value as Partial<CommandInfo & { run: unknown; input: unknown }> | null;
  return typeof v === "object" && v !== null && typeof v.name === "string" && v.access !== undefined && typeof v.run === "function" && v.input !== undefined;
}

function describeAccess(access: CommandAccess): string {
  if (typeof access === "object") return `permission \`${access.permission}\``;
  return { system: "operator only", authenticated: "any signed-in actor", public: "anyone" }[access];
}

function describeColumns(): string[] {
  const { columns } = getTableConfig(auditEvents);
  const missing = columns.filter((c) => !FIELD_MEANINGS[c.name]).map((c) => c.name);
  if (missing.length) throw new Error(`audit_events has columns without a meaning in scripts/lib/render-audit-events-doc.ts: ${missing.join(", ")}`);
  return columns.map((c) => `| \`${c.name}\` | ${c.getSQLType()}${c.notNull ? "" : ", null"} | ${cell(FIELD_MEANINGS[c.name]!)} |`);
}

/** The prose on hashing, with a worked example computed by the real hashEvent. */
function describeHashing(): string[] {
  const example: HashedEventFields = {
    orgId: "0f8e4b8a-3c1d-4e6f-9a2b-5c7d8e9f0a1b",
    seq: 2,
    occurredAt: new Date("2026-05-01T09:30:00.125Z"),
    actorType: "user",
    actorId: "5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
    actorLabel: "admin@acme.test",
    action: "branch.renamed",
    targetType: "branch",
    targetId: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
    branchId: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
    outcome: "success",
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0",
    requestId: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
    metadata: { before: { name: "Chicago" }, after: { name: "Chicago Loop" } },
    prevHash: "3f".repeat(32),
  };
  const encoded = canonicalJson({ v: 1, ...example, occurredAt: example.occurredAt.toISOString() });
  const hash = hashEvent(example);
  // The example shows what hashEvent hashes; if its encoding changes, this prose must change too.
  if (createHash("sha256").update(encoded).digest("hex") !== hash) throw new Error("lib/audit/hash-event.ts no longer hashes the encoding described in render-audit-events-doc.ts: update the prose.");
  const checkpoint = checkpointMessage({ orgId: example.orgId, seq: 1000, hash, signedAt: new Date("2026-05-01T09:40:00.000Z") });
  return [
    "## The hash chain",
    "",
    "Each organization's events form one chain, and events with no organization form a global chain of their own. Within a chain,",
    "`seq` counts from 1 without gaps and each event carries the previous event's hash (`prev_hash`; 64 zeros for the first),",
    `so the first event links to \`${GENESIS_HASH.slice(0, 8)}…\`. Appends to one chain take a transaction-scoped advisory lock on it, so two`,
    "writers can never both extend the same head; other chains are not held up.",
    "",
    "An event's `hash` is the SHA-256, in lower-case hex, of its canonical encoding: a JSON object holding `\"v\": 1` and every field",
    "above except `id` and `hash` (so `prev_hash` is covered), under the names `orgId`, `seq`, `occurredAt`, `actorType`, `actorId`,",
    "`actorLabel`, `action`, `targetType`, `targetId`, `branchId`, `outcome`, `ip`, `userAgent`, `requestId`, `metadata` and `prevHash`.",
    "The encoding is canonical JSON, byte for byte the same whoever computes it:",
    "",
    "- object keys sorted (by UTF-16 code unit) at every level, metadata included; no whitespace;",
    "- strings and numbers as `JSON.stringify` writes them; a missing value is `null`;",
    "- `occurredAt` as ISO 8601 UTC with milliseconds (`2026-05-01T09:30:00.125Z`), exactly as stored;",
    "- `metadata` as it reads back from `jsonb`: a JSON round trip, with NUL characters (which `jsonb` cannot hold) replaced by U+FFFD.",
    "",
    "For example, this event (computed by `hashEvent` when this file was generated):",
    "",
    "```json",
    encoded,
    "```",
    "",
    `has the hash \`${hash}\`, and the next event in its chain carries that value as its \`prev_hash\`.`,
    "Changing any field of an event changes its hash, which no longer matches the next event's `prev_hash`;",
    "deleting an event leaves a gap in `seq`.",
    "",
    "## Signed checkpoints",
    "",
    "A rewritten stretch with every hash recomputed would still link up, so chain heads are signed with an Ed25519 key and stored in",
    "`audit_checkpoints` (append-only too): every `AUDIT_CHECKPOINT_EVERY` events (default 1000) inside the appending transaction,",
    "and every `AUDIT_CHECKPOINT_MINUTES` (default 10) by the launcher for each chain that moved. The signature covers the canonical",
    "JSON of the chain, the head's seq and hash, and the signing time, for example:",
    "",
    "```json",
    checkpoint,
    "```",
    "",
    "The key is `AUDIT_SIGNING_KEY` or `AUDIT_SIGNING_KEY_FILE` (PKCS#8 PEM), else one the launcher generates into `DATA_DIR`.",
    "The signature is stored in base64; a checkpoint names its key by key id: the first 16 hex digits of the SHA-256 of the",
    "public key (SPKI DER).",
    "",
    "## Verifying",
    "",
    "`npm run cli -- audit verify` recomputes every chain from its first event and checks each checkpoint; it reports the first",
    "event that no longer holds (changed, deleted, inserted or re-linked, or a stretch that no longer matches a signed checkpoint,",
    "which also catches deleted trailing events) and exits 70 when a chain is broken. An outside verifier can check the signatures",
    "with only the public key (`--public-key` or `AUDIT_PUBLIC_KEY`). `npm run cli -- audit export` writes an organization's",
    "events as JSON Lines with every hashed field, so the hashes can be recomputed elsewhere.",
    "",
  ];
}

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
