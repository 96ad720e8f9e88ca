import { describe, expect, it } from "vitest";
import { getTableName, isTable } from "drizzle-orm";
import * as schema from "@/db/schema";
import { listSourceFiles } from "../support/source-files";
import { findWriteSites, listExportedFunctions } from "./write-sites";

/**
 * Every write in the codebase goes through the command wrapper (authorize, validate,
 * transaction, audit). These checks read the source's syntax trees, so a new write outside a
 * command, a helper that writes without taking the command's transaction, or a server action or
 * route handler that bypasses commands fails here. The compiler does the rest: a helper that
 * takes `CommandTx` can only be called with a command's transaction.
 */
const files = listSourceFiles();
const tables = new Set(Object.entries(schema).filter(([, v]) => isTable(v)).map(([name]) => name));

// Writes that are not data changes by a user, each with its reason: the audit append that the
// wrapper itself calls, and bookkeeping counters.
const allowedOutsideCommands = new Map([
  ["lib/audit/checkpoint.ts", "signed chain heads: written by the append above, and by the checkpointer"],
  ["db/app-role.ts", "GRANT/REVOKE for the app role after migrations"],
  ["lib/identity/touch-session.ts", "last_seen_at for the idle timeout, at most once a minute: bookkeeping, not an action"],
  ["lib/identity/refusal-tally.ts", "counts of anonymous refusals; a command (auth.refusals.counted) moves each count into the trail"],
  ["lib/intake/process/process-message.ts", "the intake worker's inbox bookkeeping (message status, attempts, retries); orders go through order.received / order.revised"],
  ["lib/intake/process/write-outcome.ts", "the intake worker's document outcomes and dead letters, in the order command's own transaction; people handle them through intake.dead_letter.* commands"],
]);

const writeSites = files.flatMap((f) => findWriteSites(f.file, f.text, tables));

describe("Every write goes through the command wrapper", () => {
  it("the write detector sees Drizzle and SQL writes, inside and outside commands", () => {
    expect(tables.size).toBe(Object.values(schema).filter((v) => isTable(v)).length);
    expect([...tables].map((n) => getTableName(schema[n as keyof typeof schema] as never))).toContain("audit_events");
    const sample = `
      import { defineCommand } from "@/lib/core/command";
      export const c = defineCommand({ name: "x", async run({ tx }) { await tx.update(sessions).set({}); } });
      export async function helper(tx: CommandTx) { await tx.delete(grants); }
      export async function stray(tx: Tx) { await tx.insert(orders).values({}); await tx.execute(sql\`delete from grants\`); }
      const hash = createHash("sha256").update(secret);`;
    const sites = findWriteSites("sample.ts", sample, tables);
    expect(sites.map((s) => [s.functionName, s.insideCommand])).toEqual([
      ["run", true],
      ["helper", true],
      ["stray", false],
      ["stray", false],
    ]);
  });

  it("every write runs in a command's body, or in a helper that takes the command's transaction (CommandTx)", () => {
    const offenders = writeSites.filter((s) => !s.insideCommand && !allowedOutsideCommands.has(s.file)).map((s) => `${s.file}:${s.line} (${s.functionName})`);
    expect(offenders).toEqual([]);
  });

  it("every file allowed to write outside commands still writes (the list has no stale entries)", () => {
    for (const file of allowedOutsideCommands.keys()) expect(writeSites.some((s) => s.file === file), file).toBe(true);
  });

  it("only the command wrapper turns a transaction into a command's (CommandTx)", () => {
    const casts = files.filter((f) => /\bas\s+CommandTx\b/.test(f.text)).map((f) => f.file);
    expect(casts).toEqual(["lib/core/command.ts"]);
  });

  it("the audit append is called only by the command wrapper", () => {
    const callers = files.filter((f) => f.text.includes("appendAuditEvent(") && f.file !== "lib/audit/append-audit-event.ts").map((f) => f.file);
    // The sign-in fan-out appends a person's sign-in event to each of their orgs' chains; only the wrapper calls it.
    expect(callers).toEqual(["lib/audit/fan-out-sign-in.ts", "lib/core/command.ts"]);
    expect(files.filter((f) => f.text.includes("SignInFanOut(") && f.file !== "lib/audit/fan-out-sign-in.ts").map((f) => f.file)).toEqual(["lib/core/command.ts"]);
    // The append sent ahead of the COMMIT (settled after it): the same two callers.
    expect(files.filter((f) => f.text.includes("sendAuditAppend(") && f.file !== "lib/audit/append-audit-event.ts").map((f) => f.file)).toEqual(["lib/audit/fan-out-sign-in.ts", "lib/core/command.ts"]);
    // The append itself is one call of the database function audit_append() (migration 0016),
    // which the write guard above cannot see as an insert: only appendAuditEvent may call it.
    const sqlCallers = files.filter((f) => /from\s+audit_append\s*\(/i.test(f.text)).map((f) => f.file);
    expect(sqlCallers).toEqual(["lib/audit/append-audit-event.ts"]);
  });

  it("every server action runs a command (or next-auth, which runs the identity commands), checked action by action", () => {
    const actionFiles = files.filter((f) => /^\s*["']use server["']/m.test(f.text));
    expect(actionFiles.length).toBeGreaterThan(0);
    for (const f of actionFiles) {
      const actions = listExportedFunctions(f.file, f.text);
      expect(actions.length, `${f.file} exports no action`).toBeGreaterThan(0);
      for (const a of actions) expect(a.name, `${f.file}: server actions end in "Action"`).toMatch(/Action$/);
      // An action may hand over to another action of the same file (a passkey answer is a second factor).
      // createSamlConnection fetches the IdP's metadata outside any transaction, then runs the
      // sso.connection.created command (lib/sso/saml/create-saml-connection.ts).
      const viaCommand = new Set(actions.filter((a) => /\brunCommand\(|\bsignIn\(|\bsignOut\(|\bcreateSamlConnection\(/.test(a.text)).map((a) => a.name));
      for (let grew = true; grew; ) {
        grew = false;
        for (const a of actions) if (!viaCommand.has(a.name) && [...viaCommand].some((name) => new RegExp(`\\b${name}\\(`).test(a.text))) grew = viaCommand.add(a.name) !== null;
      }
      for (const a of actions) expect(viaCommand.has(a.name), `${f.file}: ${a.name} must go through runCommand`).toBe(true);
      expect(f.text.includes("@/db/schema"), `${f.file} must not touch tables directly`).toBe(false);
    }
  });

  it("every mutating route handler runs a command (or is next-auth's own handler), checked handler by handler", () => {
    // POST routes that only compute an answer; each is listed here with the reason.
    const readOnlyPosts = new Map([
      ["app/api/v1/access/explain/route.ts POST", "explain() changes nothing"],
      ["app/api/v1/approval-rules/dry-run/route.ts POST", "a dry run routes an order without writing"],
      ["app/api/v1/sso/mappings/dry-run/route.ts POST", "a dry run matches claims against the mapping rules without writing"],
      ["app/api/scim/v2/Users/.search/route.ts POST", "a SCIM search (RFC 7644 §3.4.3) is a query sent as a body"],
      ["app/api/scim/v2/Groups/.search/route.ts POST", "a SCIM search (RFC 7644 §3.4.3) is a query sent as a body"],
    ]);
    // Handlers whose command runs in a helper shared by concurrent requests, with the file that must run it.
    const commandInHelper = new Map([["app/api/v1/intake/channels/[id]/messages/route.ts POST", "lib/intake/inbox/accept-batcher.ts"]]);
    for (const [, helper] of commandInHelper) expect(files.find((f) => f.file === helper)?.text ?? "", helper).toMatch(/\brunCommand\(/);
    const routes = files.filter((f) => /\/route\.ts$/.test(f.file));
    expect(routes.length).toBeGreaterThan(0);
    let checked = 0;
    for (const f of routes) {
      const nextAuth = f.text.includes('from "@/lib/identity/auth"') && /export\s+const\s+\{\s*GET,\s*POST\s*\}\s*=\s*handlers/.test(f.text);
      for (const handler of listExportedFunctions(f.file, f.text)) {
        if (!["POST", "PUT", "PATCH", "DELETE"].includes(handler.name) || readOnlyPosts.has(`${f.file} ${handler.name}`) || commandInHelper.has(`${f.file} ${handler.name}`) || nextAuth) continue;
        checked++;
        // A handler answering only that the method (or the endpoint, /Me) is not served writes nothing.
        const refusesMethod = /methodNotAllowed\(|scimNotImplemented\(/.test(handler.text);
        expect(refusesMethod || /\brunCommand\(/.test(handler.text), `${f.file} ${handler.name} writes without the command wrapper`).toBe(true);
      }
      expect(f.text.includes("@/db/schema"), `${f.file} must not touch tables directly`).toBe(false);
    }
    expect(checked).toBeGreaterThan(5);
  });
});
