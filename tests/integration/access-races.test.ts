import { and, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { branches, roleInherits, roles } from "@/db/schema";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { runCommand } from "@/lib/core/command";
import { StepUpRequiredError, ValidationError } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
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

describe("Races: a grant and an edit of the role it hands out", () => {
  /** Polls until `count` sessions of this test's database wait on a lock, or `done()` says stop. */
  async function untilWaiting(count: number, done: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 1000 && !done(); attempt++) {
      const [row] = await asOperator((tx) => tx.execute<{ waiting: number }>(sql`select count(*)::int as waiting from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database()`));
      if (row!.waiting >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("Delegation never grants more than the delegator holds: a grant checked against a role's old permissions never commits after an edit that made the role admin-class", async () => {
    const org = await makeOrg("Race Co");
    const na = await makeBranch(org.operator, "North America");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
    const newcomer = await makeMember(org.operator, { roleName: "Buyer", branchId: na.id });
    const [viewer] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, "Viewer"))));
    const editor = { ...admin.principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
    const settled: Record<string, number> = {};
    const track = (name: string, run: Promise<unknown>) => run.then(
      (value) => ((settled[name] = performance.now()), { ok: true as const, value }),
      (error: unknown) => ((settled[name] = performance.now()), { ok: false as const, error }),
    );

    let grant: Promise<{ ok: boolean; error?: unknown }> | undefined;
    let edit: Promise<{ ok: boolean; error?: unknown }> | undefined;
    class LetGo extends Error {}
    // The newcomer's membership row, locked: the grant passes its checks (Viewer holds nothing
    // admin-class yet, so no step-up), then waits to insert. Meanwhile Viewer gains audit:read.
    await asOperator(async (tx) => {
      await tx.execute(sql`select 1 from memberships where id = ${newcomer.membershipId} for update`);
      grant = track("grant", runCommand(addGrantCommand, manager.principal, meta, { membershipId: newcomer.membershipId, roleId: viewer!.id, branchId: na.id }));
      await untilWaiting(1, () => "grant" in settled);
      edit = track("edit", runCommand(updateRoleCommand, editor, meta, { roleId: viewer!.id, name: "Viewer", permissions: ["orders:read", "invoices:read", "audit:read"], inherits: [] }));
      // The edit must wait for the grant (it holds the roles lock shared); without that it commits now.
      await untilWaiting(2, () => "edit" in settled);
      throw new LetGo();
    }).catch((error: unknown) => {
      if (!(error instanceof LetGo)) throw error;
    });
    const [granted, edited] = await Promise.all([grant!, edit!]);
    expect(edited.ok).toBe(true);
    if (granted.ok) expect(settled.grant!, "the grant, checked before the edit, commits before it").toBeLessThan(settled.edit!);
    else expect(granted.error).toBeInstanceOf(StepUpRequiredError);
  });
});
