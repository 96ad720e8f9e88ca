import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ssoConnections, ssoDomains } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ConflictError, ForbiddenError, StepUpRequiredError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { orgOwnsAccount } from "@/lib/identity/account-ownership";
import { openSecret } from "@/lib/mfa/secret-box";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { setTxtResolver } from "@/lib/sso/dns-resolver";
import { verifyDomainCommand } from "@/lib/sso/verify-domain";
import { listSsoSettings } from "@/lib/sso/list-connections";
import { setSsoPolicyCommand } from "@/lib/sso/set-sso-policy";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { signInCommand, SSO_REQUIRED } from "@/lib/identity/sign-in";
import { auditRows } from "./one-time-links";
import { asOperator, operatorDb } from "../support/as-operator";
import { makeMember, makeOrg, meta, TEST_PASSWORD } from "../support/factories";

const steppedUp = (principal: Principal): Principal => ({ ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } });
const oidcInput = { protocol: "oidc", issuer: "https://idp.example.test/", clientId: "countersign", clientSecret: "s3cret-value" } as const;

async function adminOf(name: string) {
  const org = await makeOrg(name);
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  return { org, admin: steppedUp(admin.principal) };
}

afterEach(() => setTxtResolver(null));

describe("SSO connections", () => {
  it("seals the OIDC client secret at rest, bound to the connection, and returns the redirect URI, never the secret", async () => {
    const { admin } = await adminOf("Sealed");
    const created = await runCommand(createConnectionCommand, admin, meta, oidcInput);
    expect(created).toMatchObject({ protocol: "oidc", redirectUri: expect.stringMatching(/\/sso\/oidc\/callback$/) });
    expect(JSON.stringify(created)).not.toContain("s3cret-value");
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, created.id)));
    expect(row!.clientSecretSealed).not.toContain("s3cret-value");
    expect(openSecret(row!.clientSecretSealed!, created.id)).toBe("s3cret-value");
    expect(() => openSecret(row!.clientSecretSealed!, crypto.randomUUID())).toThrow();
  });

  it("needs sso:manage and an MFA step-up; a plain http issuer is refused", async () => {
    const { org } = await adminOf("Perms");
    const buyer = await makeMember(org.operator, { roleName: "Buyer" });
    await expect(runCommand(createConnectionCommand, steppedUp(buyer.principal), meta, oidcInput)).rejects.toBeInstanceOf(ForbiddenError);
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    await expect(runCommand(createConnectionCommand, { ...admin.principal, sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date(0) } }, meta, oidcInput)).rejects.toBeInstanceOf(StepUpRequiredError);
    const error = await runCommand(createConnectionCommand, steppedUp(admin.principal), meta, { ...oidcInput, issuer: "http://idp.example.test/" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.issuer?.[0]).toMatch(/https/);
  });
});

describe("Verified email domains and account ownership", () => {
  it("a domain is verified by its DNS TXT record (an injected resolver), and only then does the org own the accounts at it", async () => {
    const { org, admin } = await adminOf("Owner");
    const person = await makeMember(org.operator, { roleName: "Buyer", email: `someone@owner-${org.id.slice(0, 8)}.test` });
    const connection = await runCommand(createConnectionCommand, admin, meta, oidcInput);
    const domain = `owner-${org.id.slice(0, 8)}.test`;
    const added = await runCommand(addDomainCommand, admin, meta, { connectionId: connection.id, domain: domain.toUpperCase() });
    expect(added).toMatchObject({ domain, verified: false, txtRecord: { name: `_countersign.${domain}` } });
    expect(await readAs(admin, (tx) => orgOwnsAccount(tx, org.id, person.userId))).toBe(false);

    setTxtResolver(async () => [["unrelated"]]);
    const missing = await runCommand(verifyDomainCommand, admin, meta, { domainId: added.id }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as ValidationError).fieldErrors.domain?.[0]).toContain(added.txtRecord.value);

    const asked: string[] = [];
    setTxtResolver(async (name) => (asked.push(name), [[added.txtRecord.value.slice(0, 10), added.txtRecord.value.slice(10)]]));
    expect(await runCommand(verifyDomainCommand, admin, meta, { domainId: added.id })).toMatchObject({ verified: true });
    expect(asked).toEqual([`_countersign.${domain}`]);
    expect(await readAs(admin, (tx) => orgOwnsAccount(tx, org.id, person.userId))).toBe(true);
    const [row] = await asOperator((tx) => tx.select().from(ssoDomains).where(eq(ssoDomains.id, added.id)));
    expect(row).toMatchObject({ verifiedBy: "dns", verifiedAt: expect.any(Date) });
  });

  it("the operator's override verifies at once (audited as the operator's); an org's admin cannot use it", async () => {
    const { org, admin } = await adminOf("Airgap");
    const domain = `airgap-${org.id.slice(0, 8)}.test`;
    await expect(runCommand(addDomainCommand, admin, meta, { domain, verifiedByOperator: true })).rejects.toBeInstanceOf(ForbiddenError);
    const added = await runCommand(addDomainCommand, org.operator, meta, { domain, verifiedByOperator: true });
    expect(added.verified).toBe(true);
    const person = await makeMember(org.operator, { email: `x@${domain}` });
    expect(await readAs(admin, (tx) => orgOwnsAccount(tx, org.id, person.userId))).toBe(true);
  });

  it("A person's global sessions, password and factors are reached only by an org that owns the account (a verified domain): another org's member at that domain is not owned by an org that has not verified it, and a second org cannot verify a domain already owned", async () => {
    const { org: a } = await adminOf("First");
    const { org: b, admin: bAdmin } = await adminOf("Second");
    const domain = `contested-${a.id.slice(0, 8)}.test`;
    await runCommand(addDomainCommand, a.operator, meta, { domain, verifiedByOperator: true });
    const person = await makeMember(b.operator, { email: `p@${domain}` });
    expect(await readAs(bAdmin, (tx) => orgOwnsAccount(tx, b.id, person.userId))).toBe(false);
    const claimed = await runCommand(addDomainCommand, bAdmin, meta, { domain });
    setTxtResolver(async () => [[claimed.txtRecord.value]]);
    const error = await runCommand(verifyDomainCommand, bAdmin, meta, { domainId: claimed.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(await readAs(bAdmin, (tx) => orgOwnsAccount(tx, b.id, person.userId))).toBe(false);
  });

  it("another org's connection id answers not found", async () => {
    const { admin: aAdmin } = await adminOf("A");
    const { admin: bAdmin } = await adminOf("B");
    const connection = await runCommand(createConnectionCommand, aAdmin, meta, oidcInput);
    await expect(runCommand(addDomainCommand, bAdmin, meta, { connectionId: connection.id, domain: "b-side.test" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("Require SSO", () => {
  it("refuses password sign-in for the accounts the org owns, except for its named break-glass members, whose sign-in is flagged in the trail", async () => {
    const { org, admin } = await adminOf("Strict");
    const domain = `strict-${org.id.slice(0, 8)}.test`;
    await runCommand(addDomainCommand, org.operator, meta, { domain, verifiedByOperator: true });
    const owned = await makeMember(org.operator, { email: `owned@${domain}` });
    const glass = await makeMember(org.operator, { roleName: "Admin", email: `glass@${domain}` });
    const outsider = await makeMember(org.operator, { email: `outside-${org.id.slice(0, 8)}@elsewhere.test` });
    const none = await runCommand(setSsoPolicyCommand, admin, meta, { requireSso: true }).catch((e: unknown) => e);
    expect((none as ValidationError).fieldErrors.breakGlassEmails).toBeDefined();
    await runCommand(setSsoPolicyCommand, admin, meta, { requireSso: true, breakGlassEmails: [glass.email] });

    const refused = await runCommand(signInCommand, anonymousPrincipal(), meta, { email: owned.email, password: TEST_PASSWORD }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "unauthorized", message: SSO_REQUIRED });
    expect((await auditRows("auth.signin.failed")).at(-1)!.metadata).toMatchObject({ reason: "sso-required", orgId: org.id });
    // A wrong password still reads as a wrong password: the policy is only told to whoever knows it.
    await expect(runCommand(signInCommand, anonymousPrincipal(), meta, { email: owned.email, password: "wrong password here" })).rejects.toMatchObject({ message: "Incorrect email or password." });
    // The right password refused for SSO does not clear the count that the wrong one left
    // (the reset comes only past every refusal; sign-in reads the policy while it hashes).
    const accountKey = `account:${owned.email.toLowerCase()}`;
    const failuresBefore = await operatorDb().execute<{ failures: number }>(sql`select failures from auth_throttle where key = ${accountKey}`);
    expect(failuresBefore[0]?.failures).toBe(1);
    await expect(runCommand(signInCommand, anonymousPrincipal(), meta, { email: owned.email, password: TEST_PASSWORD })).rejects.toMatchObject({ message: SSO_REQUIRED });
    const failuresAfter = await operatorDb().execute<{ failures: number }>(sql`select failures from auth_throttle where key = ${accountKey}`);
    expect(failuresAfter[0]?.failures).toBe(1);
    await expect(runCommand(signInCommand, anonymousPrincipal(), meta, { email: outsider.email, password: TEST_PASSWORD })).resolves.toMatchObject({ userId: outsider.userId });
    await expect(runCommand(signInCommand, anonymousPrincipal(), meta, { email: glass.email, password: TEST_PASSWORD })).resolves.toMatchObject({ userId: glass.userId });
    expect((await auditRows("auth.signin.succeeded")).at(-1)!.metadata).toMatchObject({ breakGlass: true, ssoRequiredBy: org.id });
  });
});

describe("The SSO settings read", () => {
  it("shows an sso:manage member their org's connections (never the secret), domains with their TXT record, and rules; a Buyer is refused; another org sees none of it", async () => {
    const { org, admin } = await adminOf("Settings");
    const connection = await runCommand(createConnectionCommand, admin, meta, oidcInput);
    const domain = `settings-${org.id.slice(0, 8)}.test`;
    await runCommand(addDomainCommand, admin, meta, { connectionId: connection.id, domain });
    const settings = await readAs(admin, (tx) => listSsoSettings(tx, admin));
    expect(settings.connections).toEqual([expect.objectContaining({ id: connection.id, issuer: oidcInput.issuer, redirectUri: expect.any(String) })]);
    expect(JSON.stringify(settings)).not.toContain(oidcInput.clientSecret);
    expect(settings.domains).toEqual([expect.objectContaining({ domain, verified: false, txtRecord: expect.objectContaining({ name: `_countersign.${domain}` }) })]);
    const buyer = await makeMember(org.operator, { roleName: "Buyer" });
    await expect(readAs(buyer.principal, (tx) => listSsoSettings(tx, buyer.principal))).rejects.toBeInstanceOf(ForbiddenError);
    const { admin: otherAdmin } = await adminOf("Other");
    expect(await readAs(otherAdmin, (tx) => listSsoSettings(tx, otherAdmin))).toEqual({ connections: [], domains: [], mappings: [] });
  });
});
