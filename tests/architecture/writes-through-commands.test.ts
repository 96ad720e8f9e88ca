import { describe, expect, it } from "vitest";
import { getTableName, isTable } from "drizzle-orm";
import * as schema from "@/db/schema";
import { listSourceFiles } from "../support/source-files";

/**
 * Every write in the codebase goes through the command wrapper (authorize, validate,
 * transaction, audit). These checks read the source, so a new file that writes on its own, or a
 * new server action or route handler that bypasses commands, fails here.
 */
const files = listSourceFiles();
// Drizzle writes name a table export: tx.insert(orders), tx.update(sessions), tx.delete(grants).
const tableExports = Object.entries(schema).filter(([, v]) => isTable(v)).map(([name]) => name);
const drizzleWrite = new RegExp(`\\.(insert|update|delete)\\(\\s*(${tableExports.join("|")})\\s*\\)`);
const sqlWrite = /\b(insert\s+into|update\s+"?\w+"?\s+set|delete\s+from|truncate\s+)/i;

// Writes that are not data changes by a user: DDL for the database itself, and the audit append
// that the wrapper itself calls.
const allowedOutsideCommands = new Set([
  "lib/audit/append-audit-event.ts", // called only by lib/core/command.ts, inside its transaction
  "lib/audit/checkpoint.ts", // signed chain heads: written by the append above, and by the checkpointer
  "db/app-role.ts", // GRANT/REVOKE for the app role after migrations
  "db/migrate.ts", // schema migrations, not data
  "scripts/lib/embedded-postgres.ts", // CREATE DATABASE for the embedded server
  "lib/identity/touch-session.ts", // last_seen_at for the idle timeout, at most once a minute: bookkeeping, not an action
  "lib/identity/one-time-tokens.ts", // issues and uses up links inside the calling command's transaction (it takes the tx)
  "lib/identity/refusal-tally.ts", // counts of anonymous refusals; a command (auth.refusals.counted) moves each count into the trail
]);

// Checks (lib/*/checks/: second factors, sign-in throttling) consume a code, a challenge or a
// counter inside the transaction of the command that calls them; several commands share them, so
// they live apart, and the test below makes sure only command modules import them.
const isFactorCheck = (file: string) => /^lib\/[\w-]+\/checks\//.test(file);

describe("Every write goes through the command wrapper", () => {
  it("the write detector knows every table", () => {
    expect(tableExports.length).toBe(Object.values(schema).filter((v) => isTable(v)).length);
    expect(tableExports.map((n) => getTableName(schema[n as keyof typeof schema] as never))).toContain("audit_events");
    expect(drizzleWrite.test("await tx.update(sessions).set({})")).toBe(true);
    expect(drizzleWrite.test("createHash('sha256').update(secret)")).toBe(false);
  });

  it("only command modules write to the database", () => {
    const offenders = files
      .filter((f) => drizzleWrite.test(f.text) || sqlWrite.test(f.text))
      .filter((f) => !f.text.includes("defineCommand(") && !allowedOutsideCommands.has(f.file) && !isFactorCheck(f.file))
      .map((f) => f.file);
    expect(offenders).toEqual([]);
  });

  it("checks, which write, are called only from command modules (inside their transaction)", () => {
    const importers = files.filter((f) => /from\s+["']@\/lib\/[\w-]+\/checks\//.test(f.text) && !isFactorCheck(f.file));
    for (const f of importers) expect(f.text.includes("defineCommand("), `${f.file} imports a factor check but defines no command`).toBe(true);
    for (const f of files.filter((f) => isFactorCheck(f.file))) expect(f.text.includes("tx: Tx"), `${f.file} must take the command's transaction`).toBe(true);
  });

  it("the audit append is called only by the command wrapper", () => {
    const callers = files.filter((f) => f.text.includes("appendAuditEvent(") && f.file !== "lib/audit/append-audit-event.ts").map((f) => f.file);
    expect(callers).toEqual(["lib/core/command.ts"]);
  });

  it("every server action runs a command (or next-auth, which runs the identity commands)", () => {
    const actionFiles = files.filter((f) => /^\s*["']use server["']/m.test(f.text));
    expect(actionFiles.length).toBeGreaterThan(0);
    for (const f of actionFiles) {
      const exported = [...f.text.matchAll(/export\s+async\s+function\s+(\w+)/g)].map((m) => m[1]);
      expect(exported.length, `${f.file} exports no action`).toBeGreaterThan(0);
      for (const name of exported) expect(name, `${f.file}: server actions end in "Action"`).toMatch(/Action$/);
      expect(/runCommand\(|\bsignIn\(|\bsignOut\(/.test(f.text), `${f.file} must go through runCommand`).toBe(true);
      expect(f.text.includes("@/db/schema"), `${f.file} must not touch tables directly`).toBe(false);
    }
  });

  it("every mutating route handler runs a command (or is next-auth's own handler)", () => {
    // POST routes that only compute an answer; each is listed here with the reason.
    const readOnlyPosts = new Set(["app/api/v1/access/explain/route.ts"]); // explain() changes nothing
    const routes = files.filter((f) => /\/route\.ts$/.test(f.file) && !readOnlyPosts.has(f.file));
    expect(routes.length).toBeGreaterThan(0);
    for (const f of routes) {
      const mutating = /export\s+(async\s+function|const)\s+(POST|PUT|PATCH|DELETE)\b|export\s+const\s+\{[^}]*\b(POST|PUT|PATCH|DELETE)\b/.test(f.text);
      if (!mutating) continue;
      const viaCommand = f.text.includes("runCommand(") || f.text.includes('from "@/lib/identity/auth"');
      expect(viaCommand, `${f.file} writes without the command wrapper`).toBe(true);
      expect(f.text.includes("@/db/schema"), `${f.file} must not touch tables directly`).toBe(false);
    }
  });
});
