/**
 * Bulk data for bench/access.ts, written with INSERT ... SELECT generate_series as the connecting
 * (owner) user. A bench-only shortcut: the app writes through commands (one audit event each),
 * which would take hours for a million orders. No audit events are written.
 *
 * Every row that the bench needs to address is named `md5('<kind>:<ordinal>')::uuid`
 * (see md5Uuid in ./random.ts): member i is md5('m:' || i), its user md5('u:' || i), role i
 * md5('r:' || i), the i-th branch of level k md5('b:' || k || ':' || i).
 */
import type postgres from "postgres";
import { allPermissions, type Permission } from "@/lib/access/permissions";
import { md5Uuid, randomInt, seededRandom } from "./random";

/** Children per node, level by level: 10 regions, then 3, 5, 6 and 10 (depth 5, 10,090 branches). */
export const FANOUT = [10, 3, 5, 6, 10] as const;
/** Branches per level (index 0 = level 1). */
export const LEVEL_COUNTS = FANOUT.reduce<number[]>((acc, f, i) => [...acc, (i === 0 ? 1 : acc[i - 1]!) * f], []);
export const BRANCH_COUNT = LEVEL_COUNTS.reduce((a, b) => a + b, 0);
export const LEAF_LEVEL = FANOUT.length;
// --quick: a tenth of the members and orders, same shapes and code paths (under 90 s).
export const QUICK = process.argv.includes("--quick");
export const MEMBER_COUNT = QUICK ? 10_000 : 100_000;
export const ROLE_COUNT = 50;
export const ORDER_COUNT = QUICK ? 100_000 : 1_000_000;
export const ORG_SLUG = "bench-access";
export const ORG_ID = md5Uuid("org:bench-access");

/**
 * Where grants sit (cumulative shares): 0.5 % at the org root, 4.5 % at a region, then 10 / 20 /
 * 30 / 35 % at levels 2-5. Each member gets one grant, and a second one half the time.
 */
const GRANT_LEVEL_CUTS = [0.005, 0.05, 0.15, 0.35, 0.65] as const;

export interface RolePlan {
  index: number;
  id: string;
  name: string;
  permissions: Permission[];
  inherits: number[];
}

// Order permissions are drawn more often, so most members can read some orders.
const permissionWeight = (p: Permission) => (p === "orders:read" ? 4 : p === "orders:read-own" || p === "orders:create" ? 2 : 1);

/**
 * 50 roles in 5 tiers of 10. A role inherits 0-2 roles of lower tiers (a DAG, at most 4 edges
 * deep) and lists 0-3 permissions of its own (at least one when it inherits nothing).
 */
export function planRoles(seed = 7): RolePlan[] {
  const rng = seededRandom(seed);
  const weighted = allPermissions.flatMap((p) => Array<Permission>(permissionWeight(p)).fill(p));
  const roles: RolePlan[] = [];
  for (let i = 0; i < ROLE_COUNT; i++) {
    const tier = Math.floor(i / 10);
    const inherits = new Set<number>();
    if (tier > 0) {
      const n = randomInt(rng, 3);
      while (inherits.size < n) inherits.add(randomInt(rng, tier * 10));
    }
    const permissions = new Set<Permission>();
    const own = inherits.size === 0 ? 1 + randomInt(rng, 3) : randomInt(rng, 3);
    while (permissions.size < own) permissions.add(weighted[randomInt(rng, weighted.length)]!);
    roles.push({ index: i, id: md5Uuid(`r:${i}`), name: `Bench role ${String(i).padStart(2, "0")}`, permissions: [...permissions], inherits: [...inherits] });
  }
  return roles;
}

type Log = (message: string) => void;

async function step(log: Log, label: string, run: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await run();
  log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Fills a freshly migrated database. `sql` must be a single-connection owner client. */
export async function generateData(sql: postgres.Sql, log: Log): Promise<void> {
  const [{ rolsuper } = { rolsuper: false }] = await sql<{ rolsuper: boolean }[]>`select rolsuper from pg_roles where rolname = current_user`;
  await sql.unsafe("set synchronous_commit = off");
  await sql.unsafe("set maintenance_work_mem = '512MB'");
  await sql.unsafe("set work_mem = '64MB'");
  // Every foreign key holds by construction; as a superuser, skip the per-row FK triggers.
  if (rolsuper) await sql.unsafe("set session_replication_role = replica");
  else log("  (not a superuser: foreign-key triggers stay on, generation is slower)");
  await sql.unsafe("select setseed(0.4242)");
  const org = `'${ORG_ID}'::uuid`;

  await step(log, "org + branches", async () => {
    await sql.unsafe(`insert into organizations (id, name, slug) values (${org}, 'Bench Access Org', '${ORG_SLUG}')`);
    await sql.unsafe(`
      insert into branches (id, org_id, parent_id, name, path)
      select md5('b:1:' || i)::uuid, ${org}, null, 'Region ' || (i + 1), '/' || md5('b:1:' || i)::uuid || '/'
      from generate_series(0, ${LEVEL_COUNTS[0]! - 1}) i`);
    for (let level = 2; level <= LEAF_LEVEL; level++) {
      const fanout = FANOUT[level - 1]!;
      await sql.unsafe(`
        insert into branches (id, org_id, parent_id, name, path)
        select md5('b:${level}:' || i)::uuid, ${org}, p.id, p.name || '.' || (i % ${fanout} + 1), p.path || md5('b:${level}:' || i)::uuid || '/'
        from generate_series(0, ${LEVEL_COUNTS[level - 1]! - 1}) i
        join branches p on p.id = md5('b:${level - 1}:' || (i / ${fanout}))::uuid`);
    }
  });

  await step(log, `${MEMBER_COUNT.toLocaleString("en-US")} users + memberships`, async () => {
    await sql.unsafe(`
      insert into users (id, email, name)
      select md5('u:' || i)::uuid, 'user' || i || '@bench.countersign.test', 'Bench User ' || i
      from generate_series(0, ${MEMBER_COUNT - 1}) i`);
    await sql.unsafe(`
      insert into memberships (id, org_id, user_id, status)
      select md5('m:' || i)::uuid, ${org}, md5('u:' || i)::uuid, 'active'
      from generate_series(0, ${MEMBER_COUNT - 1}) i`);
  });

  const roles = planRoles();
  await step(log, `${ROLE_COUNT} roles + inheritance`, async () => {
    await sql`
      insert into roles (id, org_id, name, description, permissions)
      select id::uuid, ${ORG_ID}::uuid, name, 'bench', string_to_array(perms, ',')
      from unnest(${roles.map((r) => r.id)}::text[], ${roles.map((r) => r.name)}::text[], ${roles.map((r) => r.permissions.join(","))}::text[]) as t(id, name, perms)`;
    const edges = roles.flatMap((r) => r.inherits.map((parent) => [r.id, roles[parent]!.id] as const));
    await sql`
      insert into role_inherits (org_id, role_id, inherits_role_id)
      select ${ORG_ID}::uuid, a::uuid, b::uuid from unnest(${edges.map((e) => e[0])}::text[], ${edges.map((e) => e[1])}::text[]) as t(a, b)`;
  });

  await step(log, "grants (1-2 per member)", async () => {
    const [c0, c1, c2, c3, c4] = GRANT_LEVEL_CUTS;
    await sql.unsafe(`
      insert into grants (org_id, membership_id, role_id, branch_id)
      select ${org}, md5('m:' || m)::uuid, md5('r:' || floor(random() * ${ROLE_COUNT})::int)::uuid,
        case when lv = 0 then null
             else md5('b:' || lv || ':' || floor(random() * (array[${LEVEL_COUNTS.join(",")}])[lv])::int)::uuid end
      from (
        select m, case when x < ${c0} then 0 when x < ${c1} then 1 when x < ${c2} then 2 when x < ${c3} then 3 when x < ${c4} then 4 else 5 end as lv
        from (select m, k, random() as x, random() as y from generate_series(0, ${MEMBER_COUNT - 1}) m cross join generate_series(1, 2) k) s
        where k = 1 or y < 0.5
      ) t`);
  });

  await step(log, `${ORDER_COUNT.toLocaleString("en-US")} orders over ${LEVEL_COUNTS[LEAF_LEVEL - 1]!.toLocaleString("en-US")} leaf branches`, async () => {
    // Mostly settled orders; placed over the last two years.
    await sql.unsafe(`
      insert into orders (org_id, number, branch_id, buyer_id, status, currency, subtotal_minor, tax_minor, total_minor, placed_at, created_at, updated_at)
      select ${org}, 'B-' || lpad(n::text, 7, '0'), md5('b:${LEAF_LEVEL}:' || floor(random() * ${LEVEL_COUNTS[LEAF_LEVEL - 1]})::int)::uuid,
        md5('u:' || floor(random() * ${MEMBER_COUNT})::int)::uuid,
        (case when s < 0.02 then 'draft' when s < 0.17 then 'submitted' when s < 0.47 then 'approved' when s < 0.52 then 'rejected' when s < 0.57 then 'cancelled' else 'fulfilled' end)::order_status,
        'USD', sub, sub / 5, sub + sub / 5, ts, ts, ts
      from (select n, random() as s, (500 + floor(random() * 500000))::bigint as sub, now() - random() * interval '730 days' as ts
            from generate_series(1, ${ORDER_COUNT}) n) g`);
  });

  await sql.unsafe("set session_replication_role = origin").catch(() => undefined);
  await step(log, "vacuum analyze", () => sql.unsafe("vacuum (analyze) organizations, branches, users, memberships, roles, role_inherits, grants, orders"));
}

/** True when the database already holds a complete data set (for --reuse). */
export async function isPopulated(sql: postgres.Sql): Promise<boolean> {
  const [row] = await sql<{ branches: number; members: number; orders: number }[]>`
    select (select count(*)::int from branches where org_id = ${ORG_ID}) as branches,
           (select count(*)::int from memberships where org_id = ${ORG_ID}) as members,
           (select count(*)::int from orders where org_id = ${ORG_ID}) as orders`;
  return row?.branches === BRANCH_COUNT && row.members === MEMBER_COUNT && row.orders === ORDER_COUNT;
}
