import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { applyMemberImportBatchCommand, APPLY_BATCH_ROWS } from "@/lib/identity/import/apply-member-import-batch";
import { previewMemberImportCommand } from "@/lib/identity/import/preview-member-import";
import { getMemberImport, listMemberImportRows } from "@/lib/identity/import/read-member-imports";
import { ValidationError } from "@/lib/core/errors";
import { asOperator, operatorDb } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";

const csv = (text: string) => new Uint8Array(Buffer.from(text));

async function applyAll(principal: Parameters<typeof runCommand>[1], importId: string) {
  let batches = 0;
  for (;;) {
    batches += 1;
    const { progress } = await runCommand(applyMemberImportBatchCommand, principal, meta, { importId });
    if (progress.done) return { progress, batches };
  }
}

describe("CSV import of members", () => {
  it("the preview names each bad row's column and reason; nothing is invited until it is applied", async () => {
    const org = await makeOrg("Import Co");
    await makeBranch(org.operator, "Chicago");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const file = ["email,name,role,branch", "ok@example.test,Okay Person,Viewer,chicago", "not-an-email,X,Viewer,", "dup@example.test,,Nope,", "ok@example.test,Again,Buyer,", "far@example.test,,Buyer,Atlantis"].join("\n");
    const preview = await runCommand(previewMemberImportCommand, admin.principal, meta, { fileName: "people.csv", content: csv(file) });
    expect(preview).toMatchObject({ totalRows: 5, errorRows: 4 });
    const errors = await readAs(admin.principal, (tx) => listMemberImportRows(tx, org.id, preview.id, { onlyErrors: true }));
    expect(errors.map((r) => [r.rowNo, r.errors!.map((e) => e.column)])).toEqual([
      [3, ["email"]],
      [4, ["role"]],
      [5, ["email"]],
      [6, ["branch"]],
    ]);
    expect(errors[1]!.errors![0]!.message).toBe('"Nope" is not a role of this organization');
    expect(errors[2]!.errors![0]!.message).toBe('"ok@example.test" is already on row 2');
    expect(await asOperator((tx) => tx.$count(memberships, eq(memberships.orgId, org.id)))).toBe(1);
  });

  it("a header problem is refused as a whole, naming the file", async () => {
    const org = await makeOrg("Import Co");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    await expect(runCommand(previewMemberImportCommand, admin.principal, meta, { fileName: "x.csv", content: csv("mail,name\nx@example.test,X") })).rejects.toBeInstanceOf(ValidationError);
  });

  it("applying goes in batches, one event each, invites with source import, and the same file again invites nobody twice", async () => {
    const org = await makeOrg("Import Co");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const existing = await makeMember(org.operator, { roleName: "Viewer" });
    const rows = Array.from({ length: APPLY_BATCH_ROWS + 10 }, (_, i) => `${unique(`imp${i}`)}@example.test,Person ${i},Buyer,`);
    const file = ["email,name,role,branch", ...rows, `${existing.email},,Viewer,`].join("\n");
    const first = await runCommand(previewMemberImportCommand, admin.principal, meta, { fileName: "people.csv", content: csv(file) });
    const events = async () => (await operatorDb().execute<{ n: number }>(`select count(*)::int as n from audit_events where action = 'member.import.batch.applied' and org_id = '${org.id}'`))[0]!.n;
    const { progress, batches } = await applyAll(admin.principal, first.id);
    expect(batches).toBe(2);
    expect(await events()).toBe(2);
    expect(progress).toMatchObject({ validRows: rows.length + 1, appliedRows: rows.length + 1, invited: rows.length, skipped: 1, failed: 0, done: true });
    const sources = await asOperator((tx) => tx.select({ source: memberships.source, status: memberships.status }).from(memberships).where(eq(memberships.orgId, org.id)));
    expect(sources.filter((m) => m.source === "import")).toHaveLength(rows.length);
    expect(sources.filter((m) => m.source === "import").every((m) => m.status === "invited")).toBe(true);
    // The same file again: every row is already a member.
    const second = await runCommand(previewMemberImportCommand, admin.principal, meta, { fileName: "people.csv", content: csv(file) });
    const again = await applyAll(admin.principal, second.id);
    expect(again.progress).toMatchObject({ invited: 0, skipped: rows.length + 1 });
    expect(await asOperator((tx) => tx.$count(memberships, eq(memberships.orgId, org.id)))).toBe(rows.length + 2);
    expect((await readAs(admin.principal, (tx) => getMemberImport(tx, admin.principal, second.id)))?.status).toBe("applied");
  }, 120_000);

  it("a row the importer may not add (a role they cannot hand out) fails with the reason, and the other rows go on", async () => {
    const org = await makeOrg("Import Co");
    const region = await makeBranch(org.operator, "Region");
    const manager = await makeMember(org.operator, { roleName: "Manager", branchId: region.id });
    const file = ["email,role,branch", `${unique("a")}@example.test,Admin,Region`, `${unique("b")}@example.test,Buyer,Region`].join("\n");
    const preview = await runCommand(previewMemberImportCommand, manager.principal, meta, { fileName: "p.csv", content: csv(file) });
    const { progress } = await applyAll(manager.principal, preview.id);
    expect(progress).toMatchObject({ invited: 1, failed: 1 });
    const failed = await readAs(manager.principal, (tx) => listMemberImportRows(tx, org.id, preview.id, { onlyErrors: true }));
    expect(failed.map((r) => [r.rowNo, r.outcome])).toEqual([[2, "failed"]]);
  });

  it("another org's import is not found", async () => {
    const a = await makeOrg("A");
    const b = await makeOrg("B");
    const aAdmin = await makeMember(a.operator, { roleName: "Admin" });
    const bAdmin = await makeMember(b.operator, { roleName: "Admin" });
    const preview = await runCommand(previewMemberImportCommand, aAdmin.principal, meta, { fileName: "p.csv", content: csv("email\nx@example.test") });
    await expect(runCommand(applyMemberImportBatchCommand, bAdmin.principal, meta, { importId: preview.id })).rejects.toThrow("not found");
    expect(await readAs(bAdmin.principal, (tx) => getMemberImport(tx, bAdmin.principal, preview.id))).toBeNull();
  });
});
