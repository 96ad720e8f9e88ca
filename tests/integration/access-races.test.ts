import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { branches, roleInherits, roles } from "@/db/schema";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";
import { loserOf, raceBehind } from "../support/race-behind";

/**
 * Crossed writes to an org's tree or roles, made to interleave every run (raceBehind): both
 * racers read and pass their cycle check before either writes. Serialized per org (an advisory
 * lock on (org, tree) and (org, roles)), the second sees the first's write and is refused.
 */
describe("Races: crossed branch moves and role edits never make a cycle", () => {
  it("two crossed moves (A under B, B under A) at once: one wins, the other is refused, and the tree stays a tree", async () => {
    const org = await makeOrg("Race Co");
    const a = await makeBranch(org.operator, "A");
    const b = await makeBranch(org.operator, "B");
    await makeBranch(org.operator, "A child", a.id);
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const move = (branchId: string, newParentId: string) => () => runCommand(moveBranchCommand, admin.principal, meta, { branchId, newParentId });
    const outcomes = await raceBehind((tx) => tx.execute(sql`select 1 from branches where id in (${a.id}, ${b.id}) for update`), [move(a.id, b.id), move(b.id, a.id)]);
    const loser = loserOf(outcomes);
    expect(loser).toBeInstanceOf(ValidationError);
    expect((loser as ValidationError).fieldErrors.newParentId).toEqual(["cannot be the branch itself or one of its descendants"]);
    const rows = await asOperator((tx) => tx.select().from(branches).where(eq(branches.orgId, org.id)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const row of rows) {
      // Every path is its parent's path plus its own id, which rules out a cycle.
      const parent = row.parentId ? byId.get(row.parentId) : null;
      expect(row.path).toBe(`${parent?.path ?? "/"}${row.id}/`);
    }
  });

  it("two role edits at once (A inherits B, B inherits A): one wins, the other is refused, and the graph stays acyclic", async () => {
    const org = await makeOrg("Race Co");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const ids = await asOperator((tx) => tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, org.id), inArray(roles.name, ["Viewer", "Auditor", "Approver"]))));
    const id = (name: string) => ids.find((r) => r.name === name)!.id;
    // Auditor and Approver each inherit Viewer only; each edit makes one inherit the other.
    const inherit = (role: string, parent: string, permissions: string[]) => () =>
      runCommand(updateRoleCommand, admin.principal, meta, { roleId: id(role), name: role, permissions, inherits: [id("Viewer"), id(parent)] });
    const outcomes = await raceBehind((tx) => tx.execute(sql`select 1 from roles where id in (${id("Auditor")}, ${id("Approver")}) for update`), [
      inherit("Auditor", "Approver", ["users:read", "audit:read"]),
      inherit("Approver", "Auditor", ["orders:approve", "invoices:approve"]),
    ]);
    const loser = loserOf(outcomes);
    expect(loser).toBeInstanceOf(ValidationError);
    expect((loser as ValidationError).fieldErrors.inherits).toEqual(["would create an inheritance cycle"]);
    const edges = await asOperator((tx) => tx.select().from(roleInherits).where(and(eq(roleInherits.orgId, org.id), inArray(roleInherits.roleId, [id("Auditor"), id("Approver")]))));
    const crossed = edges.filter((e) => e.inheritsRoleId !== id("Viewer"));
    expect(crossed).toHaveLength(1);
  });
});
