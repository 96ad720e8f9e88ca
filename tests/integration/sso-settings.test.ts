import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as connectionList from "@/app/api/v1/sso/connections/route";
import * as connectionItem from "@/app/api/v1/sso/connections/[id]/route";
import * as domainVerify from "@/app/api/v1/sso/domains/[id]/verify/route";
import * as mappingDryRun from "@/app/api/v1/sso/mappings/dry-run/route";
import { ssoConnections, ssoDomainOwners, ssoMappings } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError, StepUpRequiredError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { openSecret } from "@/lib/mfa/secret-box";
import { createRoleCommand } from "@/lib/roles/create-role";
import { dryRunMappingSchema } from "@/lib/sso/admin-schemas";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { dryRunMappings } from "@/lib/sso/dry-run-mappings";
import { getSsoPolicy } from "@/lib/sso/get-sso-policy";
import { removeDomainCommand } from "@/lib/sso/remove-domain";
import { removeMappingCommand } from "@/lib/sso/remove-mapping";
import { setSsoPolicyCommand } from "@/lib/sso/set-sso-policy";
import { startSsoCommand } from "@/lib/sso/start-sso";
import { updateConnectionCommand } from "@/lib/sso/update-connection";
import { auditRows } from "./one-time-links";
import { callRoute } from "./isolation-world";
import { answer, h } from "./isolation-route-case";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";
import { roleId } from "../support/sso-fixtures";

const steppedUp = (principal: Principal): Principal => ({ ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } });
const oidcInput = { protocol: "oidc", issuer: "https://idp.example.test/", clientId: "countersign", clientSecret: "first-secret" } as const;

async function orgWithConnection(name: string, preset: "generic" | "okta" | "entra" = "generic") {
  const org = await makeOrg(name);
  const adminMember = await makeMember(org.operator, { roleName: "Admin" });
  const admin = steppedUp(adminMember.principal);
  const connection = await runCommand(createConnectionCommand, admin, meta, { ...oidcInput, preset });
  const branch = await makeBranch(org.operator, "Depot");
  return { org, admin, adminMember, connection, branch };
}

const dryRun = (principal: Principal, input: unknown) => readAs(principal, (tx) => dryRunMappings(tx, principal, dryRunMappingSchema.parse(input)));

describe("Changing a connection (sso.connection.updated)", () => {
  it("renames, disables (then nobody is routed to it), changes scopes and rotates the secret, sealed again and never returned", async () => {
    const { org, admin, connection } = await orgWithConnection("Update");
    const result = await runCommand(updateConnectionCommand, admin, meta, { connectionId: connection.id, name: "Okta (staff)", enabled: false, scopes: "openid email profile groups", clientSecret: "second-secret" });
    expect(JSON.stringify(result)).not.toContain("second-secret");
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, connection.id)));
    expect(row).toMatchObject({ name: "Okta (staff)", enabled: false, scopes: "openid email profile groups" });
    expect(openSecret(row!.clientSecretSealed!, connection.id)).toBe("second-secret");
    await expect(runCommand(startSsoCommand, anonymousPrincipal(), meta, { orgSlug: org.slug })).rejects.toMatchObject({ code: "not_found" });
    const event = (await auditRows("sso.connection.updated")).at(-1)!;
    expect(event.metadata).toMatchObject({ before: { name: "Single sign-on", enabled: true }, after: { name: "Okta (staff)", enabled: false }, clientSecretRotated: true });
    expect(JSON.stringify(event.metadata)).not.toContain("second-secret");
  });

  it("refuses what does not apply or is not known, in plain words: IdP-initiated on OIDC, scopes without openid, the issuer, nothing to change", async () => {
    const { admin, connection } = await orgWithConnection("Refusals");
    const fields = async (input: Record<string, unknown>) => ((await runCommand(updateConnectionCommand, admin, meta, { connectionId: connection.id, ...input }).catch((e: unknown) => e)) as ValidationError).fieldErrors;
    expect((await fields({ allowIdpInitiated: true })).allowIdpInitiated?.[0]).toMatch(/SAML connections only/);
    expect((await fields({ scopes: "email profile" })).scopes?.[0]).toMatch(/openid/);
    expect((await fields({ issuer: "https://evil.example.test" })).issuer?.[0]).toBe("is not a known field");
    expect((await fields({})).body?.[0]).toMatch(/at least one field/);
    expect((await fields({ name: "a\u0000b" })).name).toBeDefined();
  });

  it("needs sso:manage, a step-up, the org's own connection, and a default role its author could grant", async () => {
    const { org, admin, connection, branch } = await orgWithConnection("Guarded");
    const other = await orgWithConnection("Other");
    await expect(runCommand(updateConnectionCommand, admin, meta, { connectionId: other.connection.id, name: "Mine" })).rejects.toBeInstanceOf(NotFoundError);
    const buyer = await makeMember(org.operator, { roleName: "Buyer" });
    await expect(runCommand(updateConnectionCommand, steppedUp(buyer.principal), meta, { connectionId: connection.id, enabled: false })).rejects.toBeInstanceOf(ForbiddenError);
    const adminAgain = await makeMember(org.operator, { roleName: "Admin" });
    await expect(runCommand(updateConnectionCommand, { ...adminAgain.principal, sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date(0) } }, meta, { connectionId: connection.id, enabled: false })).rejects.toBeInstanceOf(StepUpRequiredError);
    // Someone who may configure SSO but not hand out roles cannot make the default role a way to.
    await runCommand(createRoleCommand, org.operator, meta, { name: "SSO keeper", permissions: ["sso:manage"] });
    const keeper = steppedUp((await makeMember(org.operator, { roleName: "SSO keeper" })).principal);
    await expect(runCommand(updateConnectionCommand, keeper, meta, { connectionId: connection.id, defaultRoleId: await roleId(org.id, "Admin") })).rejects.toBeInstanceOf(ForbiddenError);
    await runCommand(updateConnectionCommand, keeper, meta, { connectionId: connection.id, name: "Renamed by the keeper" });
    await runCommand(updateConnectionCommand, admin, meta, { connectionId: connection.id, defaultRoleId: await roleId(org.id, "Buyer"), defaultBranchId: branch.id });
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, connection.id)));
    expect(row).toMatchObject({ name: "Renamed by the keeper", defaultBranchId: branch.id });
    // Clearing the role clears its branch with it.
    await runCommand(updateConnectionCommand, admin, meta, { connectionId: connection.id, defaultRoleId: null });
    const [cleared] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, connection.id)));
    expect(cleared).toMatchObject({ defaultRoleId: null, defaultBranchId: null });
  });
});

describe("Removing domains and rules", () => {
  it("removing the last verified claim of a domain releases it, so another org may verify it; a second claim keeps it owned", async () => {
    const { org, admin, connection } = await orgWithConnection("Releaser");
    const domain = `release-${org.id.slice(0, 8)}.test`;
    const first = await runCommand(addDomainCommand, org.operator, meta, { connectionId: connection.id, domain, verifiedByOperator: true });
    const second = await runCommand(addDomainCommand, org.operator, meta, { connectionId: null, domain, verifiedByOperator: true });
    const other = await makeOrg("Claimant");
    await expect(runCommand(addDomainCommand, other.operator, meta, { connectionId: null, domain, verifiedByOperator: true })).rejects.toMatchObject({ code: "conflict" });
    expect(await runCommand(removeDomainCommand, admin, meta, { domainId: first.id })).toMatchObject({ ownershipReleased: false });
    expect(await runCommand(removeDomainCommand, admin, meta, { domainId: second.id })).toMatchObject({ ownershipReleased: true });
    expect(await asOperator((tx) => tx.select().from(ssoDomainOwners).where(eq(ssoDomainOwners.domain, domain)))).toEqual([]);
    await runCommand(addDomainCommand, other.operator, meta, { connectionId: null, domain, verifiedByOperator: true });
    const [owner] = await asOperator((tx) => tx.select().from(ssoDomainOwners).where(eq(ssoDomainOwners.domain, domain)));
    expect(owner!.orgId).toBe(other.id);
    expect((await auditRows("sso.domain.removed")).at(-1)!.metadata).toMatchObject({ ownershipReleased: true, before: { domain, verifiedBy: "operator" } });
  });

  it("another org's domain or rule is not found, and removing a rule is audited with what it gave", async () => {
    const a = await orgWithConnection("Rules A");
    const b = await orgWithConnection("Rules B");
    const bDomain = await runCommand(addDomainCommand, b.admin, meta, { connectionId: b.connection.id, domain: `b-${b.org.id.slice(0, 8)}.test` });
    const bRule = await runCommand(addMappingCommand, b.admin, meta, { connectionId: b.connection.id, claim: "groups", value: "staff", roleId: await roleId(b.org.id, "Buyer") });
    await expect(runCommand(removeDomainCommand, a.admin, meta, { domainId: bDomain.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(runCommand(removeMappingCommand, a.admin, meta, { mappingId: bRule.id })).rejects.toBeInstanceOf(NotFoundError);
    await runCommand(removeMappingCommand, b.admin, meta, { mappingId: bRule.id });
    expect(await asOperator((tx) => tx.select().from(ssoMappings).where(and(eq(ssoMappings.id, bRule.id))))).toEqual([]);
    expect((await auditRows("sso.mapping.removed")).at(-1)!.metadata).toMatchObject({ before: { claim: "groups", value: "staff", role: "Buyer", branch: "(organization)" } });
  });
});

describe("Require SSO, as the settings page reads it", () => {
  it("shows the policy and its break-glass members", async () => {
    const { org, admin, adminMember } = await orgWithConnection("Policy");
    expect(await readAs(admin, (tx) => getSsoPolicy(tx, admin))).toEqual({ requireSso: false, breakGlass: [] });
    await runCommand(setSsoPolicyCommand, admin, meta, { requireSso: true, breakGlassEmails: [adminMember.email] });
    expect(await readAs(admin, (tx) => getSsoPolicy(tx, admin))).toEqual({ requireSso: true, breakGlass: [adminMember.email] });
    const buyer = await makeMember(org.operator, { roleName: "Buyer" });
    await expect(readAs(buyer.principal, (tx) => getSsoPolicy(tx, buyer.principal))).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("The dry run: these claims would give these grants", () => {
  it("matches rules on groups and other claims, falls back to the default role, and says when a sign-in would be refused", async () => {
    const { org, admin, connection, branch } = await orgWithConnection("Dry run");
    await runCommand(addMappingCommand, admin, meta, { connectionId: connection.id, claim: "groups", value: "buyers", roleId: await roleId(org.id, "Buyer"), branchId: branch.id });
    await runCommand(addMappingCommand, admin, meta, { connectionId: connection.id, claim: "department", value: "Finance", roleId: await roleId(org.id, "Viewer") });
    expect(await dryRun(admin, { connectionId: connection.id, claims: { groups: ["buyers", "other"], department: "Finance" } })).toEqual({
      outcome: "grants",
      source: "rules",
      groups: ["buyers", "other"],
      grants: expect.arrayContaining([
        { roleId: await roleId(org.id, "Buyer"), role: "Buyer", branchId: branch.id, branch: "Depot" },
        { roleId: await roleId(org.id, "Viewer"), role: "Viewer", branchId: null, branch: null },
      ]),
    });
    expect(await dryRun(admin, { connectionId: connection.id, claims: { groups: ["nobody"] } })).toEqual({ outcome: "refused", reason: "no-mapping-rule", groups: ["nobody"] });
    await runCommand(updateConnectionCommand, admin, meta, { connectionId: connection.id, defaultRoleId: await roleId(org.id, "Viewer") });
    expect(await dryRun(admin, { connectionId: connection.id, claims: {} })).toMatchObject({ outcome: "grants", source: "default", grants: [{ role: "Viewer", branch: null }] });
  });

  it("Entra's group overage is refused here too, by either form of the claim, never read as 'no groups'", async () => {
    const { org, admin, connection } = await orgWithConnection("Overage", "entra");
    await runCommand(updateConnectionCommand, admin, meta, { connectionId: connection.id, defaultRoleId: await roleId(org.id, "Viewer") });
    expect(await dryRun(admin, { connectionId: connection.id, claims: { hasgroups: true } })).toMatchObject({ outcome: "refused", reason: "groups-overage" });
    expect(await dryRun(admin, { connectionId: connection.id, claims: { _claim_names: { groups: "src1" }, _claim_sources: { src1: { endpoint: "https://graph.microsoft.com/v1.0/users/x/getMemberObjects" } } } })).toMatchObject({ outcome: "refused", reason: "groups-overage" });
    // App roles count as groups for Entra.
    await runCommand(addMappingCommand, admin, meta, { connectionId: connection.id, claim: "groups", value: "role.buyer", roleId: await roleId(org.id, "Buyer") });
    expect(await dryRun(admin, { connectionId: connection.id, claims: { roles: ["role.buyer"] } })).toMatchObject({ outcome: "grants", source: "rules", grants: [{ role: "Buyer" }] });
  });

  it("another org's connection is not found; a member without sso:manage is refused", async () => {
    const a = await orgWithConnection("Dry A");
    const b = await orgWithConnection("Dry B");
    await expect(dryRun(a.admin, { connectionId: b.connection.id, claims: {} })).rejects.toBeInstanceOf(NotFoundError);
    const buyer = await makeMember(a.org.operator, { roleName: "Buyer" });
    await expect(dryRun(buyer.principal, { connectionId: a.connection.id, claims: {} })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("REST /api/v1/sso/*", () => {
  it("reads with a token (never a secret); every write with a token is 403 (it needs a step-up), a SAML connection too, before its metadata URL is fetched", async () => {
    const { org, adminMember, connection } = await orgWithConnection("REST");
    const { token } = await runCommand(createApiTokenCommand, org.operator, meta, { email: adminMember.email });
    const list = await answer(await callRoute(h(connectionList.GET), token, "GET", "/api/v1/sso/connections"));
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ data: [{ id: connection.id, protocol: "oidc", clientId: "countersign", redirectUri: expect.stringMatching(/\/sso\/oidc\/callback$/) }] });
    expect(JSON.stringify(list.body)).not.toMatch(/first-secret|clientSecret/);
    const one = await answer(await callRoute(h(connectionItem.GET), token, "GET", "/api/v1/sso/connections/x", { params: { id: connection.id } }));
    expect(one).toMatchObject({ status: 200, body: { id: connection.id, name: "Single sign-on" } });

    const created = await answer(await callRoute(h(connectionList.POST), token, "POST", "/api/v1/sso/connections", { body: oidcInput }));
    expect(created.status).toBe(403);
    expect(JSON.stringify(created.body)).toMatch(/API token/);
    const patched = await answer(await callRoute(h(connectionItem.PATCH), token, "PATCH", "/api/v1/sso/connections/x", { params: { id: connection.id }, body: { enabled: false } }));
    expect(patched.status).toBe(403);
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, connection.id)));
    expect(row!.enabled).toBe(true);

    const saml = await answer(await callRoute(h(connectionList.POST), token, "POST", "/api/v1/sso/connections", { body: { protocol: "saml", metadataUrl: "https://idp.invalid/metadata" } }));
    expect(saml.status).toBe(403);
    const rows = await asOperator((tx) => tx.select({ protocol: ssoConnections.protocol }).from(ssoConnections).where(eq(ssoConnections.orgId, org.id)));
    expect(rows.map((r) => r.protocol)).toEqual(["oidc"]);
  });

  it("the dry run works with a token; verify refuses a body with fields", async () => {
    const { org, admin, adminMember, connection } = await orgWithConnection("REST dry run");
    await runCommand(addMappingCommand, admin, meta, { connectionId: connection.id, claim: "groups", value: "buyers", roleId: await roleId(org.id, "Buyer") });
    const { token } = await runCommand(createApiTokenCommand, org.operator, meta, { email: adminMember.email });
    const result = await answer(await callRoute(h(mappingDryRun.POST), token, "POST", "/api/v1/sso/mappings/dry-run", { body: { connectionId: connection.id, claims: { groups: ["buyers"] } } }));
    expect(result).toMatchObject({ status: 200, body: { outcome: "grants", grants: [{ role: "Buyer", branch: null }] } });
    const bad = await answer(await callRoute(h(mappingDryRun.POST), token, "POST", "/api/v1/sso/mappings/dry-run", { body: { connectionId: connection.id, claims: ["groups"] } }));
    expect(bad.status).toBe(422);
    const domain = await runCommand(addDomainCommand, admin, meta, { connectionId: connection.id, domain: `v-${org.id.slice(0, 8)}.test` });
    const verify = await answer(await callRoute(h(domainVerify.POST), token, "POST", "/api/v1/sso/domains/x/verify", { params: { id: domain.id }, body: { verifiedByOperator: true } }));
    expect(verify.status).toBe(422);
    expect((verify.body as { errors: Record<string, string[]> }).errors.verifiedByOperator?.[0]).toBe("is not a known field");
  });
});

describe("The settings page's dry run query (a GET form)", () => {
  it("reads groups one per line and a JSON object of other claims; bad JSON or a prototype key is a sentence, never an exception", async () => {
    const { readDryRunQuery } = await import("@/lib/sso/dry-run-query");
    const id = crypto.randomUUID();
    expect(readDryRunQuery({})).toMatchObject({ input: null, error: null });
    expect(readDryRunQuery({ dryConnection: id, dryGroups: " buyers \n\nstaff", dryClaims: '{"department": "Sales"}' }).input).toEqual({ connectionId: id, claims: { groups: ["buyers", "staff"], department: "Sales" } });
    expect(readDryRunQuery({ dryConnection: id, dryClaims: "{" }).error).toMatch(/not valid JSON/);
    expect(readDryRunQuery({ dryConnection: id, dryClaims: '{"__proto__": {"x": 1}}' }).error).toMatch(/not allowed/);
    expect(readDryRunQuery({ dryConnection: id, dryClaims: "[1]" }).error).toMatch(/JSON object/);
    expect(readDryRunQuery({ dryConnection: "not-an-id" }).error).toMatch(/Choose one of the connections/);
    expect(readDryRunQuery({ dryConnection: id, dryGroups: "a\u0000b" }).input).toEqual({ connectionId: id, claims: {} });
  });
});
