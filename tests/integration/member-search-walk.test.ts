import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { readAs } from "@/lib/core/read-as";
import { listMembers, memberListQuerySchema } from "@/lib/identity/list-members";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg } from "../support/factories";

/**
 * A search reads the stream of matches in the page's order (countersign_member_matches: a
 * bounded stretch of the sort index, then the trigram index) in growing rounds, each checked
 * against the reader's scope, and falls back to the older paths (the trigram collection, the
 * plain walk) when the rounds do not settle it (lib/identity/member-search.ts, pageFromMatches).
 * Whatever path answers, the pages must be the plain query's: members the reader may see whose
 * shown email or name holds the term, in the sort order, with no gap or repeat across pages
 * either way. 40,000 members in bulk: "walrus" is every 19th (2,105: more than the trigram
 * collection takes), "narwhal" every 1,000th (rare), "person" everyone; a Manager at North
 * America sees one member in ten, a Manager at Tiny three.
 */
let world: Awaited<ReturnType<typeof build>>;
beforeAll(async () => {
  world = await build();
}, 120_000);

async function build() {
  const org = await makeOrg("Walk Co");
  const na = await makeBranch(org.operator, "North America");
  const emea = await makeBranch(org.operator, "EMEA");
  const tiny = await makeBranch(org.operator, "Tiny");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const tinyManager = await makeMember(org.operator, { roleName: "Manager", branchId: tiny.id });
  const buyer = (await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, "Buyer")))))[0]!.id;
  const tag = crypto.randomUUID().slice(0, 6);
  await asOperator(async (tx) => {
    await tx.execute(sql`
      with u as (
        insert into users (email, name)
        select 'p' || lpad(i::text, 5, '0') || ${`-${tag}@example.test`},
               'Person ' || i || case when i % 19 = 0 then ' Walrus' else '' end || case when i % 1000 = 7 then ' Narwhal' else '' end
        from generate_series(1, 40000) i returning id, email)
      insert into memberships (org_id, user_id, status) select ${org.id}::uuid, id, 'active' from u`);
    // One member in ten holds a role at North America (the manager's scope), the rest at EMEA.
    await tx.execute(sql`
      insert into grants (org_id, membership_id, role_id, branch_id)
      select m.org_id, m.id, ${buyer}::uuid, case when row_number() over (order by u.email) % 10 = 0 then ${na.id}::uuid else ${emea.id}::uuid end
      from memberships m join users u on u.id = m.user_id where m.org_id = ${org.id}::uuid and u.email like ${`%-${tag}@example.test`}`);
    // Three members (spread through the order) also at Tiny.
    await tx.execute(sql`
      insert into grants (org_id, membership_id, role_id, branch_id)
      select m.org_id, m.id, ${buyer}::uuid, ${tiny.id}::uuid from memberships m join users u on u.id = m.user_id
      where m.org_id = ${org.id}::uuid and u.email in (${`p00100-${tag}@example.test`}, ${`p20000-${tag}@example.test`}, ${`p39999-${tag}@example.test`})`);
    await tx.execute(sql`analyze memberships`);
  });
  return { org, na, tiny, admin: admin.principal, manager: manager.principal, tinyManager: tinyManager.principal };
}

/** The plain query's answer, by email then id. */
async function expected(term: string, inScope: boolean | "tiny"): Promise<string[]> {
  const branchId = inScope === "tiny" ? world.tiny.id : world.na.id;
  const rows = await asOperator((tx) =>
    tx.execute<{ id: string }>(sql`
      select m.id from memberships m where m.org_id = ${world.org.id}::uuid and m.search_text like ${`%${term}%`}
        ${inScope ? sql`and exists (select 1 from grants g where g.membership_id = m.id and g.branch_id = ${branchId}::uuid)` : sql``}
      order by m.email_key, m.id`),
  );
  return rows.map((r) => r.id);
}

async function pages(principal: Principal, q: string, limit: number) {
  const forward: string[] = [];
  const cursors: Array<string | null> = [];
  let cursor: string | undefined;
  for (let i = 0; i < 500; i++) {
    const page = await readAs(principal, (tx) => listMembers(tx, principal, memberListQuerySchema.parse({ q, limit, ...(cursor ? { cursor } : {}) })));
    forward.push(...page.data.map((m) => m.membershipId));
    cursors.push(page.prevCursor);
    if (!page.nextCursor) return { forward, cursors };
    cursor = page.nextCursor;
  }
  throw new Error("the list never ended");
}

describe("member search by walking the index in chunks gives the plain query's pages", () => {
  it("a common term for an admin (its matches in the first stretch of the sort index), every page in order", async () => {
    const want = await expected("walrus", false);
    expect(want.length).toBeGreaterThan(2_000);
    expect((await pages(world.admin, "walrus", 100)).forward).toEqual(want);
  }, 60_000);

  it("a common term for a manager who sees one in ten (several rounds of matches), every page, and back", async () => {
    const want = await expected("walrus", true);
    expect(want.length).toBeGreaterThan(150);
    const { forward } = await pages(world.manager, "walrus", 50);
    expect(forward).toEqual(want);
    // Backwards from the third page: the second page again.
    const first = await readAs(world.manager, (tx) => listMembers(tx, world.manager, memberListQuerySchema.parse({ q: "walrus", limit: 50 })));
    const second = await readAs(world.manager, (tx) => listMembers(tx, world.manager, memberListQuerySchema.parse({ q: "walrus", limit: 50, cursor: first.nextCursor! })));
    const third = await readAs(world.manager, (tx) => listMembers(tx, world.manager, memberListQuerySchema.parse({ q: "walrus", limit: 50, cursor: second.nextCursor! })));
    const back = await readAs(world.manager, (tx) => listMembers(tx, world.manager, memberListQuerySchema.parse({ q: "walrus", limit: 50, before: third.prevCursor! })));
    expect(back.data.map((m) => m.membershipId)).toEqual(second.data.map((m) => m.membershipId));
  }, 60_000);

  it("a rare term (the trigram index answers), for both readers; a two-letter prefix; a term nobody has", async () => {
    expect((await pages(world.admin, "narwhal", 10)).forward).toEqual(await expected("narwhal", false));
    expect((await pages(world.manager, "narwhal", 10)).forward).toEqual(await expected("narwhal", true));
    const prefix = await readAs(world.manager, (tx) => listMembers(tx, world.manager, memberListQuerySchema.parse({ q: "p0", limit: 50 })));
    const wantPrefix = (
      await asOperator((tx) =>
        tx.execute<{ id: string }>(sql`
          select m.id from memberships m where m.org_id = ${world.org.id}::uuid and (m.email_key like 'p0%' or m.name_key like 'p0%')
            and exists (select 1 from grants g where g.membership_id = m.id and g.branch_id = ${world.na.id}::uuid)
          order by m.email_key, m.id limit 50`),
      )
    ).map((r) => r.id);
    expect(prefix.data.map((m) => m.membershipId)).toEqual(wantPrefix);
    expect((await pages(world.admin, "zzqx", 50)).forward).toEqual([]);
  }, 60_000);

  it("a reader who sees three of 40,000 matches: the rounds give up and the older paths answer, exactly", async () => {
    const want = await expected("person", "tiny");
    expect(want).toHaveLength(3);
    expect((await pages(world.tinyManager, "person", 2)).forward).toEqual(want);
  }, 60_000);
});
