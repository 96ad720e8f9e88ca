import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getTableConfig } from "drizzle-orm/pg-core";
import { auditEvents } from "@/db/schema";
import { listRegisteredCommands } from "@/lib/core/command";
import { renderAuditEventsDoc } from "@/scripts/lib/render-audit-events-doc";

describe("generated docs", () => {
  it("docs/audit-events.md matches the commands and the audit_events table (run `npm run docs` after changing them)", async () => {
    const rendered = await renderAuditEventsDoc();
    expect(readFileSync("docs/audit-events.md", "utf8")).toBe(rendered);
  });

  it("the action vocabulary lists every registered command, the default denial and every column", async () => {
    const rendered = await renderAuditEventsDoc();
    // The renderer imported every command module, so the registry is complete now.
    const actions = listRegisteredCommands();
    expect(actions.length).toBeGreaterThan(10);
    for (const action of [...actions, "access.denied", "auth.signin.failed"]) expect(rendered, action).toContain(`| \`${action}\` |`);
    for (const column of getTableConfig(auditEvents).columns) expect(rendered, column.name).toContain(`| \`${column.name}\` |`);
  });
});
