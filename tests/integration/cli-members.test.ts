import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { auditEvents, memberships } from "@/db/schema";
import { runCli, type CliRun } from "../support/run-cli";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeOrg, unique } from "../support/factories";

/** `member list|invite|update|deactivate|reactivate|remove`, as real child processes, through the dashboard's commands. */
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-members-test-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function ok(...args: string[]): Promise<CliRun> {
  const run = await runCli(dataDir, ...args);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run;
}

describe("npm run cli: member verbs", () => {
  it("member invite, list, update (grants replaced in one step), deactivate, reactivate and remove", async () => {
    const org = await makeOrg("CLI Members Co");
    await makeBranch(org.operator, "Chicago");
    const email = `${unique("cli")}@example.test`;
    const invited = JSON.parse((await ok("member", "invite", "--org", org.slug, "--email", email, "--password", "a long enough passphrase", "--role", "Viewer", "--json")).stdout) as { membershipId: string };
    const listed = JSON.parse((await ok("member", "list", "--org", org.slug, "--q", email.slice(0, 10), "--json")).stdout) as { data: Array<{ membershipId: string; source: string; grants: Array<{ role: string; branch: string }> }> };
    expect(listed.data).toMatchObject([{ membershipId: invited.membershipId, source: "manual", grants: [{ role: "Viewer", branch: "(organization)" }] }]);
    await ok("member", "update", "--org", org.slug, "--email", email, "--grant", "Buyer@Chicago", "--grant", "Viewer");
    const after = JSON.parse((await ok("member", "list", "--org", org.slug, "--q", email.slice(0, 10), "--json")).stdout) as typeof listed;
    expect(after.data[0]!.grants.map((g) => `${g.role}@${g.branch}`).sort()).toEqual(["Buyer@Chicago", "Viewer@(organization)"]);
    await ok("member", "deactivate", "--org", org.slug, "--email", email);
    await ok("member", "reactivate", "--org", org.slug, "--email", email);
    await ok("member", "remove", "--org", org.slug, "--email", email);
    expect(await asOperator((tx) => tx.$count(memberships, eq(memberships.id, invited.membershipId)))).toBe(0);
    const actions = (await asOperator((tx) => tx.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, invited.membershipId)))).map((e) => e.action);
    expect(actions).toEqual(["member.created", "member.updated", "member.deactivated", "member.reactivated", "member.removed"]);
    const unknown = await runCli(dataDir, "member", "remove", "--org", org.slug, "--email", email);
    expect(unknown.code).not.toBe(0);
  }, 120_000);
});
