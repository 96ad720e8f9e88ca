import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, branches, grants, roleInherits, roles } from "@/db/schema";
import { runCli, type CliRun } from "../support/run-cli";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg } from "../support/factories";

/**
 * The access commands of the operator CLI (branch rename/move, role, grant, access explain), run
 * as real child processes against this file's database. Fixtures are made in-process through the
 * commands; only the behaviour under test is spawned.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-access-test-"));

const cli = (...args: string[]) => runCli(dataDir, ...args);

async function ok(...args: string[]): Promise<CliRun> {
  const run = await cli(...args);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run;
}

let org: Awaited<ReturnType<typeof makeOrg>>;
beforeAll(async () => {
  org = await makeOrg("CLI Access Co");
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const roleId = async (name: string) => (await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, name)))))[0]!.id;

describe("npm run cli: roles, grants, branches and access explain", () => {
  it("role create resolves repeated --inherits by name; role list shows it; a cycle exits 65 naming --inherits", async () => {
    const created = JSON.parse(
      (await ok("role", "create", "--org", org.slug, "--name", "Senior Buyer", "--permission", "orders:approve", "--permission", "orders:cancel", "--inherits", "buyer", "--inherits", "Viewer", "--json")).stdout,
    ) as { id: string; inherits: Array<{ name: string }> };
    expect(created.inherits.map((r) => r.name)).toEqual(["Buyer", "Viewer"]);
    const [row] = await asOperator((tx) => tx.select().from(roles).where(eq(roles.id, created.id)));
    expect(row).toMatchObject({ orgId: org.id, name: "Senior Buyer", permissions: ["orders:approve", "orders:cancel"] });
    const parents = await asOperator((tx) => tx.select({ id: roleInherits.inheritsRoleId }).from(roleInherits).where(eq(roleInherits.roleId, created.id)));
    expect(parents.map((p) => p.id).sort()).toEqual([await roleId("Buyer"), await roleId("Viewer")].sort());

    const list = await ok("role", "list", "--org", org.slug);
    expect(list.stdout).toMatch(/Senior Buyer\s+orders:approve, orders:cancel; inherits Buyer, Viewer \(not granted\)/);
    expect(list.stdout).toMatch(/Manager\s+orders:cancel, users:read, users:manage; inherits Approver, Buyer/);

    // Buyer inheriting Senior Buyer, which inherits Buyer: refused before anything changes.
    const cycle = await cli("role", "update", "--org", org.slug, "--role", "Buyer", "--inherits", "Senior Buyer", "--json");
    expect(cycle.code).toBe(65);
    expect(cycle.stdout).toBe("");
    expect(JSON.parse(cycle.stderr)).toEqual({ error: { code: "validation", message: "--inherits: would create an inheritance cycle", fields: { "--inherits": ["would create an inheritance cycle"] } } });
    const buyer = await roleId("Buyer");
    expect(await asOperator((tx) => tx.$count(roleInherits, eq(roleInherits.roleId, buyer)))).toBe(1);
  });

  it("grant add, then grant list shows it, then grant revoke removes it", async () => {
    const chicago = await makeBranch(org.operator, "Chicago");
    const member = await makeMember(org.operator, { roleName: "Viewer" });
    const added = JSON.parse(
      (await ok("grant", "add", "--org", org.slug, "--email", member.email, "--role", "Approver", "--branch", "chicago", "--approval-limit", "50000", "--currency", "usd", "--expires", "2099-01-31", "--json")).stdout,
    ) as { id: string };
    const [row] = await asOperator((tx) => tx.select().from(grants).where(eq(grants.id, added.id)));
    expect(row).toMatchObject({ membershipId: member.membershipId, roleId: await roleId("Approver"), branchId: chicago.id, approvalLimitMinor: 50000, approvalLimitCurrency: "USD" });
    expect(row!.expiresAt?.toISOString()).toBe("2099-01-31T00:00:00.000Z");

    const list = await ok("grant", "list", "--org", org.slug, "--email", member.email.toUpperCase());
    expect(list.stdout).toContain(`${member.email} holds 2 grants in ${org.slug}:`);
    expect(list.stdout).toContain(`${added.id}  Approver at Chicago (expires 2099-01-31T00:00:00.000Z; approval limit 50000 USD)`);
    expect(list.stdout).toMatch(/Viewer at the whole organization/);

    const revoked = await ok("grant", "revoke", "--org", org.slug, "--grant", added.id);
    expect(revoked.stdout.trim()).toBe(`Revoked grant ${added.id} in ${org.slug}.`);
    expect(await asOperator((tx) => tx.$count(grants, eq(grants.id, added.id)))).toBe(0);
  });

  it("branch rename, then branch move rewrites the subtree's paths", async () => {
    const region = await makeBranch(org.operator, "Midwest");
    const store = await makeBranch(org.operator, "Store 12", region.id);
    const aisle = await makeBranch(org.operator, "Aisle 3", store.id);
    const west = await makeBranch(org.operator, "West");

    const renamed = await ok("branch", "rename", "--org", org.slug, "--branch", store.id, "--name", "Store Twelve");
    expect(renamed.stdout).toContain('Renamed branch "Store 12" to "Store Twelve"');

    const moved = JSON.parse((await ok("branch", "move", "--org", org.slug, "--branch", "store twelve", "--parent", "West", "--json")).stdout) as { path: string; branchesMoved: number };
    expect(moved).toMatchObject({ path: `/${west.id}/${store.id}/`, branchesMoved: 2 });
    const rows = await asOperator((tx) => tx.select({ id: branches.id, name: branches.name, parentId: branches.parentId, path: branches.path }).from(branches).where(inArray(branches.id, [store.id, aisle.id])));
    expect(rows.find((r) => r.id === store.id)).toEqual({ id: store.id, name: "Store Twelve", parentId: west.id, path: `/${west.id}/${store.id}/` });
    expect(rows.find((r) => r.id === aisle.id)?.path).toBe(`/${west.id}/${store.id}/${aisle.id}/`);
  });

  it("branch delete removes an empty branch and refuses one with children, exiting 1 with the reason", async () => {
    const parent = await makeBranch(org.operator, "Closing region");
    const shed = await makeBranch(org.operator, "Shed", parent.id);
    const refused = await cli("branch", "delete", "--org", org.slug, "--branch", "Closing region");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("Closing region cannot be deleted: it still has 1 child branch");
    const deleted = await ok("branch", "delete", "--org", org.slug, "--branch", shed.id);
    expect(deleted.stdout.trim()).toBe(`Deleted branch "Shed" from ${org.slug} (id ${shed.id}).`);
    await ok("branch", "delete", "--org", org.slug, "--branch", "closing region");
    expect(await asOperator((tx) => tx.$count(branches, inArray(branches.id, [parent.id, shed.id])))).toBe(0);
  });

  it("access explain prints the grant and the role chain it comes through; every write above was audited as the cli operator", async () => {
    const denver = await makeBranch(org.operator, "Denver");
    const manager = await makeMember(org.operator, { roleName: "Manager", branchId: denver.id });
    const allowed = await ok("access", "explain", "--org", org.slug, "--email", manager.email, "--permission", "orders:create", "--branch", "Denver");
    expect(allowed.stdout).toContain(`ALLOWED: ${manager.email} orders:create on branch "Denver"`);
    expect(allowed.stdout).toMatch(/grant: Manager at Denver \(grant [0-9a-f-]{36}\)/);
    expect(allowed.stdout).toContain("via:   Manager → Buyer");

    // Each CLI write of this file left its audit event, filed as the cli operator.
    const actions = ["role.created", "grant.added", "grant.revoked", "branch.renamed", "branch.moved", "branch.deleted"];
    const events = await asOperator((tx) => tx
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, org.id), inArray(auditEvents.action, actions), eq(auditEvents.actorLabel, "cli"), eq(auditEvents.outcome, "success"))));
    expect([...new Set(events.map((e) => e.action))].sort()).toEqual([...actions].sort());
  });
});
