import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { apiTokens, auditEvents, authThrottle, branches, grants, memberships, organizations, roles, users } from "@/db/schema";
import { systemPrincipal } from "@/lib/core/system-principal";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { asOperator } from "../support/as-operator";
import { runCli, type CliRun } from "../support/run-cli";
import { makeBranch, makeMember } from "../support/factories";
import { operatorDb } from "../support/as-operator";

/**
 * The operator CLI, run as a real child process against this file's database: exit codes,
 * stdout/stderr, and the rows it leaves behind.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-test-"));
const SLUG = "cli-co";

const cli = (...args: string[]) => runCli(dataDir, ...args);

/** Successful CLI writes so far; each must have left exactly one audit event. */
let writes = 0;
async function cliWrite(...args: string[]): Promise<CliRun> {
  const run = await cli(...args);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  writes++;
  return run;
}

let org: { id: string; slug: string; name: string };
const operator = () => systemPrincipal("test", org);

beforeAll(async () => {
  const run = await cliWrite("org", "create", "--name", "CLI Co", "--slug", SLUG, "--json");
  org = JSON.parse(run.stdout) as typeof org;
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run cli", () => {
  it("--help lists every command; misuse exits 64 before touching the database", async () => {
    const help = await cli("--help");
    expect(help.code).toBe(0);
    for (const command of ["migrate", "seed", "org create", "branch create", "user create", "token create"]) expect(help.stdout).toContain(command);

    const unknown = await cli("frobnicate", "--json");
    expect(unknown.code).toBe(64);
    expect(unknown.stdout).toBe("");
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: "usage", message: expect.stringContaining("frobnicate") } });

    const missing = await cli("org", "create", "--name", "No Slug");
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("--slug");
  });

  it("org create makes the org with its starter roles; a taken slug exits 67", async () => {
    const [row] = await operatorDb().select().from(organizations).where(eq(organizations.slug, SLUG));
    expect(row).toMatchObject({ id: org.id, name: "CLI Co" });
    const roleNames = (await operatorDb().select({ name: roles.name }).from(roles).where(eq(roles.orgId, org.id))).map((r) => r.name);
    expect(roleNames).toEqual(expect.arrayContaining(["Admin", "Manager", "Buyer"]));

    const taken = await cli("org", "create", "--name", "Copycat", "--slug", SLUG);
    expect(taken.code).toBe(67);
    expect(taken.stderr.trim()).toBe(`Error: The slug "${SLUG}" is already taken.`);
    expect(await operatorDb().$count(organizations, eq(organizations.slug, SLUG))).toBe(1);
  });

  it("branch create resolves --parent by name into the materialized path; an unknown parent exits 66", async () => {
    const region = JSON.parse((await cliWrite("branch", "create", "--org", SLUG, "--name", "North America", "--json")).stdout) as { id: string; path: string };
    expect(region.path).toBe(`/${region.id}/`);

    const human = await cliWrite("branch", "create", "--org", SLUG, "--name", "Chicago", "--parent", "north america");
    expect(human.stdout).toContain('Created branch "Chicago" under "North America"');
    const [chicago] = await operatorDb().select().from(branches).where(and(eq(branches.orgId, org.id), eq(branches.name, "Chicago")));
    expect(chicago!.parentId).toBe(region.id);
    expect(chicago!.path).toBe(`${region.path}${chicago!.id}/`);

    const unknown = await cli("branch", "create", "--org", SLUG, "--name", "Lost", "--parent", "Atlantis");
    expect(unknown.code).toBe(66);
    expect(unknown.stderr).toMatch(/--parent: branch "Atlantis".*not found/);
  });

  it("user create grants --role at --branch; an invalid email exits 65 naming --email", async () => {
    const toronto = await makeBranch(operator(), "Toronto");
    const email = "manny@cli.test";
    await cliWrite("user", "create", "--org", SLUG, "--email", email, "--password", "long enough password", "--role", "Manager", "--branch", "Toronto", "--name", "Manny");
    const [grant] = await operatorDb()
      .select({ role: roles.name, branchId: grants.branchId, status: memberships.status, name: users.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .innerJoin(memberships, eq(memberships.id, grants.membershipId))
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(grants.orgId, org.id), eq(users.email, email)));
    expect(grant).toEqual({ role: "Manager", branchId: toronto.id, status: "active", name: "Manny" });

    const invalid = await cli("user", "create", "--org", SLUG, "--email", "not-an-email", "--password", "long enough password", "--json");
    expect(invalid.code).toBe(65);
    const { error } = JSON.parse(invalid.stderr) as { error: { code: string; message: string; fields: Record<string, string[]> } };
    expect(error.code).toBe("validation");
    expect(error.message).toBe("--email: must be a valid email address");
    expect(Object.keys(error.fields)).toEqual(["--email"]);
  });

  it("user create invites an address that already has an account; a --password for it exits 65 naming --password", async () => {
    const member = await makeMember(operator(), { roleName: "Buyer" });
    const other = JSON.parse((await cliWrite("org", "create", "--name", "Other Co", "--slug", "cli-other", "--json")).stdout) as { slug: string };
    const refused = await cli("user", "create", "--org", other.slug, "--email", member.email, "--password", "an operator chosen passphrase", "--json");
    expect(refused.code).toBe(65);
    expect(Object.keys((JSON.parse(refused.stderr) as { error: { fields: Record<string, string[]> } }).error.fields)).toEqual(["--password"]);
    // Without SMTP_URL the invitation goes to the outbox, its link printed for the operator.
    const invited = await cliWrite("user", "create", "--org", other.slug, "--email", member.email);
    expect(invited.stdout).toContain(`Added ${member.email} to ${other.slug} as Buyer for the whole organization`);
    expect(invited.stdout).toMatch(/, invited\)\./);
    expect(invited.stdout).not.toMatch(/already had an account/);
  });

  it("user unblock-mfa clears a person's second-factor block as the operator; an unknown email exits 66, nothing to clear 67", async () => {
    const member = await makeMember(operator(), { roleName: "Buyer" });
    await asOperator((tx) => tx.insert(authThrottle).values({ key: `mfa:${member.userId}`, failures: 100 }));
    const help = await cli("user", "--help");
    expect(help.stdout).toContain("user unblock-mfa");

    const cleared = await cliWrite("user", "unblock-mfa", "--email", member.email.toUpperCase(), "--json");
    expect(JSON.parse(cleared.stdout)).toEqual({ email: member.email.toUpperCase(), failures: 100 });
    expect(await asOperator((tx) => tx.select().from(authThrottle).where(eq(authThrottle.key, `mfa:${member.userId}`)))).toHaveLength(0);
    const [event] = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, "member.mfa.unblocked"), eq(auditEvents.targetId, member.userId))));
    expect(event).toMatchObject({ orgId: null, actorType: "system", actorLabel: "cli", outcome: "success", metadata: { user: member.email, failures: 100 } });

    const again = await cli("user", "unblock-mfa", "--email", member.email);
    expect(again.code).toBe(67);
    expect(again.stderr).toContain("no failed second-factor attempts");
    const unknown = await cli("user", "unblock-mfa", "--email", "nobody@cli.test", "--json");
    expect(unknown.code).toBe(66);
    expect(JSON.parse(unknown.stderr)).toMatchObject({ error: { code: "not_found", message: '--email: user "nobody@cli.test" not found.' } });
  });

  it("token create prints a token once that resolveApiToken accepts, in human and --json form", async () => {
    const member = await makeMember(operator(), { roleName: "Buyer" });

    const human = await cliWrite("token", "create", "--org", SLUG, "--email", member.email, "--name", "ERP sync", "--expires-days", "30");
    const tokenLines = human.stdout.split("\n").filter((line) => /^cs_\S+$/.test(line));
    expect(tokenLines).toHaveLength(1);
    expect(human.stdout).toMatch(/will not be shown again/);
    const principal = await resolveApiToken(getDb(), tokenLines[0]!);
    expect(principal?.membershipId).toBe(member.membershipId);
    expect(principal?.org?.slug).toBe(SLUG);

    const json = JSON.parse((await cliWrite("token", "create", "--org", SLUG, "--email", member.email, "--json")).stdout) as { id: string; token: string; prefix: string };
    expect(json.token.startsWith(json.prefix)).toBe(true);
    expect((await resolveApiToken(getDb(), json.token))?.membershipId).toBe(member.membershipId);
    const stored = await operatorDb().select({ id: apiTokens.id, name: apiTokens.name, expiresAt: apiTokens.expiresAt }).from(apiTokens).where(eq(apiTokens.membershipId, member.membershipId));
    expect(stored.map((t) => t.name).sort()).toEqual(["API token", "ERP sync"]);
    expect(stored.find((t) => t.id === json.id)?.expiresAt).toBeNull();
    expect(stored.find((t) => t.name === "ERP sync")?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
  });

  it("seed refuses to seed over existing data and exits 0 without changes", async () => {
    const before = await operatorDb().$count(organizations);
    const run = await cli("seed");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/already has data.*not seeding/);
    expect(await operatorDb().$count(organizations)).toBe(before);
    expect(await operatorDb().$count(organizations, eq(organizations.slug, "acme"))).toBe(0);
  });

  it("every CLI write left one audit event, filed as the cli operator", async () => {
    const actions = ["org.created", "branch.created", "member.created", "member.mfa.unblocked", "api-token.created"];
    const rows = await asOperator((tx) =>
      tx
        .select({ n: sql<number>`count(*)::int` })
        .from(auditEvents)
        .where(and(inArray(auditEvents.action, actions), eq(auditEvents.actorType, "system"), eq(auditEvents.actorLabel, "cli"), eq(auditEvents.userAgent, "cli"), eq(auditEvents.outcome, "success"))),
    );
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(rows[0]!.n).toBe(writes);
  });
});
