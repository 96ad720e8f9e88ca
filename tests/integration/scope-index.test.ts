import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { branches } from "@/db/schema";
import { pathInSubtree } from "@/lib/access/scope-condition";
import { readAs } from "@/lib/core/read-as";
import { makeBranch, makeMember, makeOrg } from "../support/factories";

// Under row-level security PostgreSQL evaluates the policy before any qual that is not
// leakproof, so such a qual cannot be an index condition. A subtree must stay an index range
// there, or every scoped read walks the whole org's branches.
describe("subtree predicates under row-level security", () => {
  it("a subtree is an index range on (org_id, path), not a filter, when read as the app under RLS", async () => {
    const org = await makeOrg("Scope Index Co");
    const region = await makeBranch(org.operator, "Region");
    const city = await makeBranch(org.operator, "City", region.id);
    const other = await makeBranch(org.operator, "Other");
    const member = await makeMember(org.operator, { roleName: "Manager", branchId: region.id });
    const subtree = and(eq(branches.orgId, org.id), pathInSubtree(branches.path, region.path));
    const plan = await readAs(member.principal, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const query = tx.select({ id: branches.id }).from(branches).where(subtree);
      const { sql: text, params } = query.toSQL();
      const rows = await tx.execute(sql.raw(`explain ${inline(text, params)}`));
      return rows.map((row) => String(Object.values(row)[0])).join("\n");
    });
    expect(plan).toMatch(/Index Cond: .*path ~>=~/);
    const ids = await readAs(member.principal, (tx) => tx.select({ id: branches.id }).from(branches).where(subtree));
    expect(ids.map((r) => r.id).sort()).toEqual([region.id, city.id].sort());
    expect(ids.map((r) => r.id)).not.toContain(other.id);
  });

  it("the range holds exactly the paths that start with the root, whatever follows", async () => {
    const org = await makeOrg("Scope Range Co");
    const a = await makeBranch(org.operator, "A");
    const child = await makeBranch(org.operator, "A child", a.id);
    const grandchild = await makeBranch(org.operator, "A grandchild", child.id);
    const b = await makeBranch(org.operator, "B");
    const member = await makeMember(org.operator, { roleName: "Admin", branchId: null });
    const under = (path: string) => readAs(member.principal, (tx) => tx.select({ id: branches.id }).from(branches).where(and(eq(branches.orgId, org.id), pathInSubtree(branches.path, path))));
    expect((await under(a.path)).map((r) => r.id).sort()).toEqual([a.id, child.id, grandchild.id].sort());
    expect((await under(child.path)).map((r) => r.id).sort()).toEqual([child.id, grandchild.id].sort());
    expect((await under(b.path)).map((r) => r.id)).toEqual([b.id]);
    expect(await under(`${grandchild.path}${crypto.randomUUID()}/`)).toEqual([]);
  });
});

/** EXPLAIN cannot take bind parameters: the values are uuids and paths, quoted as literals. */
function inline(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => `'${String(params[Number(n) - 1]).replaceAll("'", "''")}'`);
}
