import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { getTableConfig } from "drizzle-orm/pg-core";
import { auditEvents } from "@/db/schema";
import { checkpointMessage } from "@/lib/audit/checkpoint";
import { encodeEventV2, fieldsV2, GENESIS_HASH, hashEventV2, type EncodedEventFields } from "@/lib/audit/hash-event";
import { AUDIT_SHARDS, merkleRoot } from "@/lib/audit/merkle-root";
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
  shard: "Which of the chain's 16 sub-chains holds the event (0 to 15). A lone writer always gets shard 0; concurrent writers of one organization take the first free shard, so they do not queue behind one lock.",
  seq: "Position in its shard: 1, 2, 3, ... with no gap.",
  hash_version: "How `hash` was computed: 1 for events written before shards (canonical JSON), 2 since (the field encoding below).",
  occurred_at: "When the event was appended: the database clock in UTC, read once the shard's lock is held (so time never runs backwards along a shard), millisecond precision.",
  actor_type: "`user`, `api-token`, `scim` (an IdP's SCIM token; `actor_id` is the token's id), `system` (the operator: CLI, seed, workers) or `anonymous`.",
  actor_id: "The user id, or the API token or SCIM token id; null for `system` and `anonymous`.",
  actor_label: "The actor's email or name as it was at that moment; it stays even if the user is renamed or removed.",
  action: "What happened: one of the actions above.",
  target_type: "The kind of object acted on (`organization`, `branch`, `membership`, `grant`, `role`, `order`, `session`, `api-token`); null when there is none.",
  target_id: "That object's id.",
  target_label: "What the target was called when the event was written (an order number, a branch name, a member's email), so a reader sees names, not ids; null when there is none.",
  branch_id: "The branch the target belongs to, so the trail can be filtered by part of the tree; null for organization-level events.",
  outcome: "`success`, `denied` (a refusal, or a command whose job is to record one) or `failure`.",
  ip: "The client's address: the socket's peer, or `X-Forwarded-For` as far as `TRUSTED_PROXIES` vouch for it; null for the CLI and workers.",
  user_agent: "The `User-Agent` header (first 512 characters); the operator's label for the CLI and workers.",
  request_id: "The request's id, also sent back as `X-Request-Id`, to find the server's log lines of the same request.",
  metadata: "JSON details: the before and after values of what changed, or a refusal's command, permission and reason. Never a password, token or other secret.",
  prev_hash: "The `hash` of the previous event in the same shard; 64 zeros for the first.",
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
  const example: EncodedEventFields = {
    orgId: "0f8e4b8a-3c1d-4e6f-9a2b-5c7d8e9f0a1b",
    shard: 0,
    seq: 2,
    occurredAt: "2026-05-01T09:30:00.125Z",
    actorType: "user",
    actorId: "5b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
    actorLabel: "admin@acme.test",
    action: "branch.renamed",
    targetType: "branch",
    targetId: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
    targetLabel: "Chicago Loop",
    branchId: "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
    outcome: "success",
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0",
    requestId: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d",
    metadataText: '{"after": {"name": "Chicago Loop"}, "before": {"name": "Chicago"}}',
    prevHash: "3f".repeat(32),
  };
  const encoded = encodeEventV2(fieldsV2(example));
  const hash = hashEventV2(example);
  // The example shows what hashEventV2 hashes; if its encoding changes, this prose must change too.
  if (createHash("sha256").update(encoded).digest("hex") !== hash) throw new Error("lib/audit/hash-event.ts no longer hashes the encoding described in render-audit-events-doc.ts: update the prose.");
  const heads = Array.from({ length: AUDIT_SHARDS }, (_, shard): [number, string] => (shard === 0 ? [1000, hash] : shard === 1 ? [12, "9c".repeat(32)] : [0, GENESIS_HASH]));
  const checkpoint = checkpointMessage({ orgId: example.orgId, seq: 1012, hash: merkleRoot(heads), signedAt: new Date("2026-05-01T09:40:00.000Z"), version: 2 });
  return [
    "## The hash chain",
    "",
    "Each organization's events form one chain, and events with no organization form a global chain of their own. Each chain is",
    `split into ${AUDIT_SHARDS} shards (docs/adr/0010-sharded-audit-chains.md). Within a shard, \`seq\` counts from 1 without gaps and each`,
    "event carries the previous event's hash there (`prev_hash`; 64 zeros for the first). Events are appended only by the database",
    "function `audit_append()`, in the command's own transaction: it takes the first shard whose transaction-scoped advisory lock is",
    "free (a lone writer always gets shard 0), so two writers never extend the same head and writers of one organization do not",
    "queue behind one another; only when all 16 are busy does it wait.",
    "",
    "An event's `hash` (version 2) is the SHA-256, in lower-case hex, of its fields written as PostgreSQL's `COPY ... TO STDOUT`",
    "writes a row in its text format: the version `2`, then every field above except `id`, `hash_version` and `hash`, in the order",
    "`org_id`, `shard`, `seq`, `occurred_at`, `actor_type`, `actor_id`, `actor_label`, `action`, `target_type`, `target_id`,",
    "`target_label`, `branch_id`, `outcome`, `ip`, `user_agent`, `request_id`, `metadata`, `prev_hash`, separated by tabs, with",
    "`\\N` for null and backslash, backspace, form feed, newline, carriage return, tab and vertical tab written as `\\\\`, `\\b`,",
    "`\\f`, `\\n`, `\\r`, `\\t` and `\\v`. Each value is the text PostgreSQL prints: uuids in lower case, `occurred_at` as",
    "ISO 8601 UTC with milliseconds (`2026-05-01T09:30:00.125Z`), and `metadata` as its `jsonb` text (keys ordered by `jsonb`,",
    "`\": \"` and `\", \"` separators). The database computes it when it appends (`audit_append()`), and a verifier hashes each",
    "row's bytes as `COPY` hands them over, up to the hash column, without parsing or re-encoding anything. The JSON Lines export",
    "carries the metadata's text as `metadataText`. Events written before shards (`hash_version` 1) were hashed as canonical JSON",
    "(`lib/audit/hash-event.ts`, `hashEvent`) and are still verified that way.",
    "",
    "For example, this event (computed by `hashEventV2` when this file was generated) is encoded as:",
    "",
    "```text",
    encoded,
    "```",
    "",
    `and has the hash \`${hash}\`; the next event in its shard carries that value as its \`prev_hash\`.`,
    "Changing any field of an event changes its hash, which no longer matches the next event's `prev_hash`;",
    "deleting an event leaves a gap in its shard's `seq`; moving one breaks the links on both sides.",
    "",
    "## Signed checkpoints",
    "",
    "A rewritten stretch with every hash recomputed would still link up, so chains are signed with an Ed25519 key and stored in",
    "`audit_checkpoints` (append-only too): whenever a shard reaches a multiple of `AUDIT_CHECKPOINT_EVERY` events (default 1000),",
    "inside the appending transaction, and every `AUDIT_CHECKPOINT_MINUTES` (default 10) by the launcher for each chain that moved.",
    "A checkpoint stores every shard's head (`heads`: `[seq, hash]` per shard, `[0, 64 zeros]` for an empty one), their Merkle root",
    "(`hash`) and the number of events they cover (`seq`). A leaf is the SHA-256 hex of `leaf:<shard>:<seq>:<hash>`, a node the",
    "SHA-256 hex of `node:<left>:<right>`, over the 16 shards in order. The signature covers the canonical JSON of the chain, the",
    "event count, the root and the signing time, for example:",
    "",
    "```json",
    checkpoint,
    "```",
    "",
    "The key is `AUDIT_SIGNING_KEY` or `AUDIT_SIGNING_KEY_FILE` (PKCS#8 PEM), else one the launcher generates into `DATA_DIR`.",
    "The signature is stored in base64; a checkpoint names its key by key id: the first 16 hex digits of the SHA-256 of the",
    "public key (SPKI DER). Checkpoints from before shards (`version` 1) signed the one chain's head seq and hash instead.",
    "",
    "## Verifying",
    "",
    "`npm run cli -- audit verify` recomputes every shard of every chain from its first event and checks each checkpoint's root",
    "and heads; it reports the first event, by shard and seq, that no longer holds (changed, deleted, inserted or re-linked, or a",
    "stretch that no longer matches a signed checkpoint, which also catches deleted trailing events) and exits 70 when a chain is",
    "broken. An outside verifier can check the signatures with only the public key (`--public-key` or `AUDIT_PUBLIC_KEY`).",
    "`npm run cli -- audit export` writes an organization's events as JSON Lines with every hashed field, so the hashes can be",
    "recomputed elsewhere.",
    "",
  ];
}

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
