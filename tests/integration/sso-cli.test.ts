import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBranch, makeMember, makeOrg } from "../support/factories";
import { startTestIdp, type TestIdp } from "../support/oidc-test-idp";
import { runCli, type CliRun } from "../support/run-cli";
import { allowLoopbackIdps, ssoSignIn } from "../support/sso-fixtures";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";

/** The SSO commands of the operator CLI, as real child processes, then a sign-in through what they made. */
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-sso-test-"));
let idp: TestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
});
afterAll(async () => {
  await idp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ok(...args: string[]): Promise<CliRun> {
  const run = await runCli(dataDir, ...args);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run;
}

describe("npm run cli: sso connection, domain and mapping", () => {
  it("creates an OIDC connection (printing id and redirectUri, never the secret), claims and verifies a domain by operator override, maps a group, lists it all, and someone signs in through it", async () => {
    const org = await makeOrg("CLI SSO Co");
    const chicago = await makeBranch(org.operator, "Chicago");
    const createdRun = await ok("sso", "connection", "create", "--org", org.slug, "--protocol", "oidc", "--preset", "okta", "--issuer", idp.issuer, "--client-id", idp.clientId, "--client-secret", idp.clientSecret, "--json");
    expect(createdRun.stdout).not.toContain(idp.clientSecret);
    const created = JSON.parse(createdRun.stdout) as { id: string; redirectUri: string };
    expect(created.redirectUri).toBe(oidcRedirectUri());
    const domain = `${org.slug}.test`;
    const added = JSON.parse((await ok("sso", "domain", "add", "--org", org.slug, "--connection", created.id, "--domain", domain, "--verified-by-operator", "--json")).stdout) as { verified: boolean };
    expect(added.verified).toBe(true);
    await ok("sso", "mapping", "add", "--org", org.slug, "--connection", created.id, "--claim", "groups", "--value", "chicago-buyers", "--role", "Buyer", "--branch", "Chicago", "--json");
    const listed = JSON.parse((await ok("sso", "connection", "list", "--org", org.slug, "--json")).stdout) as { connections: Array<{ id: string; preset: string }>; domains: Array<{ domain: string; verified: boolean }>; mappings: Array<{ branchId: string }> };
    expect(listed.connections).toEqual([expect.objectContaining({ id: created.id, preset: "okta" })]);
    expect(listed.domains).toEqual([expect.objectContaining({ domain, verified: true })]);
    expect(listed.mappings).toEqual([expect.objectContaining({ branchId: chicago.id })]);
    await expect(ssoSignIn(idp, created.id, { sub: crypto.randomUUID(), email: `cli@${domain}`, groups: ["chicago-buyers"] })).resolves.toMatchObject({ purpose: "sign-in" });

    const test = JSON.parse((await ok("sso", "connection", "test", "--org", org.slug, "--connection", created.id, "--json")).stdout) as { redirectUrl: string };
    expect(new URL(test.redirectUrl).origin).toBe(idp.issuer);
    await ok("sso", "connection", "delete", "--org", org.slug, "--connection", created.id, "--json");
    const after = JSON.parse((await ok("sso", "connection", "list", "--org", org.slug, "--json")).stdout) as { connections: unknown[]; domains: Array<{ verified: boolean; connectionId: string | null }> };
    expect(after.connections).toEqual([]);
    expect(after.domains).toEqual([expect.objectContaining({ verified: true, connectionId: null })]);
  }, 240_000); // eight CLI processes in a row

  it("a plain-http issuer without the test setting exits 65 naming the field", async () => {
    const org = await makeOrg("CLI SSO Bad");
    const env = process.env.SSO_ALLOW_INSECURE_HTTP;
    delete process.env.SSO_ALLOW_INSECURE_HTTP;
    try {
      const bad = await runCli(dataDir, "sso", "connection", "create", "--org", org.slug, "--protocol", "oidc", "--issuer", "http://idp.example.test", "--client-id", "c", "--client-secret", "s", "--json");
      expect(bad.code).toBe(65);
      expect(bad.stderr).toContain("issuer");
    } finally {
      process.env.SSO_ALLOW_INSECURE_HTTP = env;
    }
  }, 60_000);

  it("sso identity link, then unlink: the identity goes (the next sign-in as that subject no longer reaches the account); an identity that does not exist exits 66 naming the flag", async () => {
    const org = await makeOrg("CLI SSO Link");
    const connection = await createConnection(org.slug);
    const domain = `${org.slug}.test`;
    await ok("sso", "domain", "add", "--org", org.slug, "--connection", connection, "--domain", domain, "--verified-by-operator", "--json");
    await ok("sso", "mapping", "add", "--org", org.slug, "--connection", connection, "--claim", "groups", "--value", "staff", "--role", "Buyer", "--json");
    const member = await makeMember(org.operator, { email: `linked@${domain}` });
    const subject = crypto.randomUUID();
    await ok("sso", "identity", "link", "--org", org.slug, "--connection", connection, "--subject", subject, "--email", member.email, "--json");
    await expect(ssoSignIn(idp, connection, { sub: subject, email: member.email, groups: ["staff"] })).resolves.toMatchObject({ purpose: "sign-in", userId: member.userId });
    const unlinked = JSON.parse((await ok("sso", "identity", "unlink", "--org", org.slug, "--connection", connection, "--email", member.email, "--json")).stdout) as { userId: string };
    expect(unlinked.userId).toBe(member.userId);
    // Not linked any more: the IdP asserting the member's email is refused (an email never links).
    await expect(ssoSignIn(idp, connection, { sub: subject, email: member.email, groups: ["staff"] })).rejects.toMatchObject({ code: "unauthorized" });
    const again = await runCli(dataDir, "sso", "identity", "unlink", "--org", org.slug, "--connection", connection, "--email", member.email, "--json");
    expect(again.code).toBe(66);
    expect(again.stderr).toContain("--email");
  }, 120_000);
});

async function createConnection(slug: string): Promise<string> {
  const run = await ok("sso", "connection", "create", "--org", slug, "--protocol", "oidc", "--issuer", idp.issuer, "--client-id", idp.clientId, "--client-secret", idp.clientSecret, "--json");
  return (JSON.parse(run.stdout) as { id: string }).id;
}
