import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listWaitingApprovals } from "@/lib/approvals/list-waiting-approvals";
import { readAs } from "@/lib/core/read-as";
import type { Principal } from "@/lib/core/context";
import { asOperator } from "../support/as-operator";
import { buildOrderingWorld, roleIdOf, type OrderingWorld } from "./ordering-world";

/**
 * The approvals inbox walks the waiting steps in index order and joins only a window of them
 * (lib/approvals/list-waiting-approvals.ts, selectWaitingRows). Each path of that walk must give
 * exactly what the plain join gives: steps the caller's roles may decide, on submitted orders in
 * their scope, oldest first. Steps are made in bulk SQL so the walk has several chunks to cross.
 */
async function addWaiting(world: OrderingWorld, { count, branchId, roleName, from }: { count: number; branchId: string; roleName: string; from: number }) {
  const roleId = await roleIdOf(world.org.id, roleName);
  const prefix = `W${crypto.randomUUID().slice(0, 6)}-`;
  await asOperator(async (tx) => {
    await tx.execute(sql`
      insert into orders (org_id, number, branch_id, buyer_id, status, currency, subtotal_minor, total_minor, base_total_minor, base_currency, placed_at, submitted_at)
      select ${world.org.id}::uuid, ${prefix} || i, ${branchId}::uuid, ${world.members.buyer.userId}::uuid, 'submitted', 'USD', 100, 100, 100, 'USD', now(), now()
      from generate_series(1, ${count}) i`);
    // Waiting since `from + i` minutes ago (older first), as the demo's rule makes its steps.
    await tx.execute(sql`
      insert into approval_steps (org_id, order_id, rule_name, tier_no, group_no, role_ids, status, level_branch_id, waiting_since)
      select o.org_id, o.id, 'bulk', 1, 1, array[${roleId}::uuid], 'pending', o.branch_id, now() - ((${from}::int + substr(o.number, ${prefix.length + 1})::int) * interval '1 minute')
      from orders o where o.org_id = ${world.org.id}::uuid and o.number like ${`${prefix}%`}`);
  });
}

/** The plain join's answer: what waits for the manager (Manager role, North America's subtree), oldest first. */
async function expectedFor(world: OrderingWorld): Promise<string[]> {
  const managerRole = await roleIdOf(world.org.id, "Manager");
  const rows = await asOperator((tx) =>
    tx.execute<{ id: string }>(sql`
      select s.id from approval_steps s join orders o on o.id = s.order_id join branches b on b.id = o.branch_id
      where s.org_id = ${world.org.id}::uuid and s.status = 'pending' and s.waiting_since is not null and ${managerRole}::uuid = any(s.role_ids)
        and o.status = 'submitted' and b.path like (select path from branches where id = ${world.branches.na.id}::uuid) || '%'
      order by s.waiting_since, s.id`),
  );
  return rows.map((r) => r.id);
}

async function walkInbox(principal: Principal, limit: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const got = await readAs(principal, (tx) => listWaitingApprovals(tx, principal, { limit, ...(cursor ? { cursor } : {}) }));
    seen.push(...got.data.map((d) => d.stepId));
    if (!got.nextCursor) return seen;
    cursor = got.nextCursor;
  }
  throw new Error("the inbox never ended");
}

describe("the approvals inbox's windowed walk gives the plain join's answer", () => {
  it("when the oldest steps need another role (chunks with no candidate) and the next ones are outside the scope (the window joins to nothing): every page, in order", async () => {
    const world = await buildOrderingWorld();
    await addWaiting(world, { count: 400, branchId: world.branches.chicago.id, roleName: "Admin", from: 10_000 });
    await addWaiting(world, { count: 300, branchId: world.branches.berlin.id, roleName: "Manager", from: 5_000 });
    await addWaiting(world, { count: 150, branchId: world.branches.chicago.id, roleName: "Manager", from: 0 });
    const expected = await expectedFor(world);
    expect(expected).toHaveLength(150);
    expect(await walkInbox(world.members.manager.principal, 50)).toEqual(expected);
    // One page of all of them too.
    const all = await readAs(world.members.manager.principal, (tx) => listWaitingApprovals(tx, world.members.manager.principal, { limit: 200 }));
    expect(all.data.map((d) => d.stepId)).toEqual(expected);
  });

  it("when the walk reaches its cap before finding a window's worth (8,000 older steps for another role), and when every step is the caller's", async () => {
    const world = await buildOrderingWorld();
    await addWaiting(world, { count: 8_000, branchId: world.branches.chicago.id, roleName: "Admin", from: 10_000 });
    await addWaiting(world, { count: 60, branchId: world.branches.chicago.id, roleName: "Manager", from: 0 });
    const expected = await expectedFor(world);
    expect(expected).toHaveLength(60);
    expect(await walkInbox(world.members.manager.principal, 25)).toEqual(expected);

    const plain = await buildOrderingWorld();
    await addWaiting(plain, { count: 260, branchId: plain.branches.chicago.id, roleName: "Manager", from: 0 });
    expect(await walkInbox(plain.members.manager.principal, 50)).toEqual(await expectedFor(plain));
  });
});
