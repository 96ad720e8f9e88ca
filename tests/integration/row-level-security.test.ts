import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { orders } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { listMyOrganizations } from "@/lib/identity/load-member-principal";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { createOrderCommand } from "@/lib/orders/create-order";
import { listOrders } from "@/lib/orders/list-orders";
import { orderListQuerySchema } from "@/lib/orders/schemas";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";

// This file runs as the app does in production: no operator bypass on the pool.
process.env.DATABASE_RLS_BYPASS = "0";

async function tenant() {
  const org = await makeOrg("Walled");
  const branch = await makeBranch(org.operator, "Depot");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const order = await makeOrder(org.operator, { branchId: branch.id, buyerId: admin.userId });
  return { org, branch, admin, order };
}

const countAll = (table: string) => sql.raw(`select count(*)::int as n from ${table}`);

describe("row-level security: the second wall", () => {
  it("the app's queries run as a role that cannot bypass row-level security", async () => {
    const [row] = await getDb().execute<{ role: string; bypass: boolean; superuser: boolean }>(
      sql`select current_user as role, r.rolbypassrls as bypass, r.rolsuper as superuser from pg_roles r where r.rolname = current_user`,
    );
    expect(row).toEqual({ role: "countersign_app", bypass: false, superuser: false });
  });

  it("Nothing crosses tenants: a query that forgets its org filter still returns only its own tenant's rows", async () => {
    const a = await tenant();
    const b = await tenant();
    for (const table of ["orders", "order_lines", "branches", "roles", "grants", "memberships", "audit_events", "organizations"]) {
      const [own] = await withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) => tx.execute<{ n: number }>(countAll(table)));
      const [mine] = await withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) =>
        tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where ${table === "organizations" ? "id" : "org_id"} = '${b.org.id}'`)),
      );
      expect(mine!.n, `${table}: rows of another org`).toBe(0);
      expect(own!.n, `${table}: own rows`).toBeGreaterThan(0);
    }
    const ids = await withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) => tx.select({ id: orders.id }).from(orders));
    expect(ids.map((o) => o.id)).toEqual([a.order.id]);
  });

  it("without a tenant scope, tenant tables return nothing at all", async () => {
    await tenant();
    const [row] = await getDb().execute<{ n: number }>(countAll("orders"));
    expect(row!.n).toBe(0);
  });

  it("a write into another tenant is refused by the policy, even when the code forgets to check", async () => {
    const a = await tenant();
    const b = await tenant();
    const attempt = withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) =>
      tx.execute(sql`insert into branches (org_id, name, path) values (${b.org.id}, 'Smuggled', '/x/')`),
    );
    const error = (await attempt.catch((e: unknown) => e)) as { cause?: { code?: string; message?: string } };
    expect(error.cause?.code).toBe("42501"); // insufficient_privilege
    expect(error.cause?.message).toMatch(/row-level security/);
  });

  it("the real paths work under the wall: a member's command, scoped reads, org switcher, API tokens", async () => {
    const a = await tenant();
    await tenant();
    await runCommand(createOrderCommand, a.admin.principal, meta, { branchId: a.branch.id, currency: "EUR", lines: [{ sku: "S", description: "D", quantity: 2, unitPriceMinor: 50 }] });
    const page = await readAs(a.admin.principal, (tx) => listOrders(tx, a.admin.principal, orderListQuerySchema.parse({})));
    expect(page.data).toHaveLength(2);
    expect((await listMyOrganizations(a.admin.userId)).map((o) => o.id)).toEqual([a.org.id]);
    const { token } = await runCommand(createApiTokenCommand, a.org.operator, meta, { email: a.admin.email });
    const principal = await resolveApiToken(getDb(), token);
    expect(principal?.org?.id).toBe(a.org.id);
    expect(principal?.access.kind === "grants" && principal.access.grants.length).toBe(1);
  });
});

describe("row-level security and the global audit chain", () => {
  it("a signed-in person's sign-out (no org) is recorded, and the wall is back up afterwards", async () => {
    const { signOutCommand } = await import("@/lib/identity/sign-out");
    const a = await tenant();
    const principal = { ...a.admin.principal, org: null };
    await runCommand(signOutCommand, principal, meta, {});
    await runCommand(signOutCommand, principal, meta, {}); // a second global event links to the first
    const [row] = await getDb().execute<{ n: number }>(countAll("audit_events"));
    expect(row!.n).toBe(0); // still walled off outside a scope
  });
});

describe("row-level security: the SCIM tables (migration 0025)", () => {
  it("each has row-level security on, shows only its org's rows, and refuses a write into another org", async () => {
    const { callScim } = await import("../support/scim-client");
    const { oktaUser, scimWorld } = await import("../support/scim-world");
    const users = await import("@/app/api/scim/v2/Users/route");
    const groups = await import("@/app/api/scim/v2/Groups/route");
    const worlds = [await scimWorld("Walled A"), await scimWorld("Walled B")];
    for (const w of worlds) {
      const created = await callScim(users.POST, w.token, "POST", "/Users", { body: oktaUser(w.domain, { department: "Sales" }) });
      const { id } = (await created.json()) as { id: string };
      expect((await callScim(groups.POST, w.token, "POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Buyers", members: [{ value: id }] } })).status).toBe(201);
    }
    const [a, b] = worlds as [(typeof worlds)[0], (typeof worlds)[0]];
    const tables = ["scim_tokens", "scim_users", "scim_groups", "scim_group_members", "scim_mapped_grants"];
    const flags = await getDb().execute<{ relname: string; relrowsecurity: boolean }>(sql`select relname, relrowsecurity from pg_class where relname in ${sql.raw(`(${tables.map((t) => `'${t}'`).join(", ")})`)} order by relname`);
    expect(flags.map((f) => [f.relname, f.relrowsecurity])).toEqual([...tables].sort().map((t) => [t, true]));
    for (const table of tables) {
      const [own] = await withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) => tx.execute<{ n: number }>(countAll(table)));
      const [theirs] = await withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where org_id = '${b.org.id}'`)));
      expect(theirs!.n, `${table}: rows of another org`).toBe(0);
      expect(own!.n, `${table}: own rows`).toBeGreaterThan(0);
    }
    const smuggle = withTenantScope({ orgId: a.org.id, userId: null, bypass: false }, (tx) => tx.execute(sql`insert into scim_tokens (org_id, name, prefix, token_hash) values (${b.org.id}, 'x', 'x', ${crypto.randomUUID()})`));
    expect(((await smuggle.catch((e: unknown) => e)) as { cause?: { code?: string } }).cause?.code).toBe("42501");
  });
});
