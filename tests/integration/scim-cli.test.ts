import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as spc from "@/app/api/scim/v2/ServiceProviderConfig/route";
import { makeOrg } from "../support/factories";
import { runCli, type CliRun } from "../support/run-cli";
import { callScim } from "../support/scim-client";

/** The SCIM token commands of the operator CLI, as real child processes. */
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-scim-test-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function ok(...args: string[]): Promise<CliRun> {
  const run = await runCli(dataDir, ...args);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run;
}

describe("npm run cli: scim token", () => {
  it("create --json prints { token } once and the token works; list never shows it; revoke stops it", async () => {
    const org = await makeOrg("CLI SCIM Co");
    const created = JSON.parse((await ok("scim", "token", "create", "--org", org.slug, "--name", "Okta", "--json")).stdout) as { token: string; id: string };
    expect(created.token).toMatch(/^scim_/);
    expect((await callScim(spc.GET, created.token, "GET", "/ServiceProviderConfig")).status).toBe(200);
    const listed = (await ok("scim", "token", "list", "--org", org.slug, "--json")).stdout;
    expect(listed).not.toContain(created.token);
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id: created.id, name: "Okta", revokedAt: null })]);
    await ok("scim", "token", "revoke", "--org", org.slug, "--token", created.id);
    expect((await callScim(spc.GET, created.token, "GET", "/ServiceProviderConfig")).status).toBe(401);
    const unknownOrg = await runCli(dataDir, "scim", "token", "create", "--org", "no-such-org", "--json");
    expect(unknownOrg.code).not.toBe(0);
    expect(unknownOrg.stdout + unknownOrg.stderr).toMatch(/no-such-org/);
  }, 120_000);
});
