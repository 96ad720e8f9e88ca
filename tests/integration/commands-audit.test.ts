import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { authThrottle, memberships, refusalTallies, roles } from "@/db/schema";
import { deleteBranchCommand } from "@/lib/branches/delete-branch";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { recordOrderExportCommand } from "@/lib/orders/record-order-export";
import { renameBranchCommand } from "@/lib/branches/rename-branch";
import { updateBranchCommand } from "@/lib/branches/update-branch";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { requireSessionMfaCommand } from "@/lib/identity/require-session-mfa";
import { revokeGrantCommand } from "@/lib/grants/revoke-grant";
import { createRoleCommand } from "@/lib/roles/create-role";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noAccess } from "@/lib/access/access";
import { listRegisteredCommands, runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { HiddenTargetError, ValidationError } from "@/lib/core/errors";
import { recordAuditReadDeniedCommand } from "@/lib/audit/record-access-denied";
import { recordAuditExportCommand } from "@/lib/audit/record-export";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { recordQuietRefusals } from "@/lib/identity/record-counted-refusals";
import { recordRejectedApiTokenCommand, refuseApiToken } from "@/lib/identity/record-rejected-api-token";
import { signInCommand } from "@/lib/identity/sign-in";
import { signOutCommand } from "@/lib/identity/sign-out";
import { createOrderCommand } from "@/lib/orders/create-order";
import { recordOrderReadDeniedCommand } from "@/lib/orders/record-order-read-denied";
import { acceptInvitationCommand } from "@/lib/identity/accept-invitation";
import { completePasswordResetCommand } from "@/lib/identity/complete-password-reset";
import { createMemberCommand } from "@/lib/identity/create-member";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { reactivateMemberCommand } from "@/lib/identity/reactivate-member";
import { removeMemberCommand } from "@/lib/identity/remove-member";
import { updateMemberCommand } from "@/lib/identity/update-member";
import { applyMemberImportBatchCommand } from "@/lib/identity/import/apply-member-import-batch";
import { previewMemberImportCommand } from "@/lib/identity/import/preview-member-import";
import { requestPasswordResetCommand } from "@/lib/identity/request-password-reset";
import { resendInvitationCommand } from "@/lib/identity/resend-invitation";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";
import { confirmEmailChangeCommand } from "@/lib/identity/confirm-email-change";
import { requestEmailChangeCommand } from "@/lib/identity/request-email-change";
import { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
import { sendMemberPasswordResetCommand } from "@/lib/identity/send-member-password-reset";
import { changePasswordCommand } from "@/lib/identity/change-password";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { revokeOtherSessionsCommand, revokeOwnSessionCommand } from "@/lib/identity/revoke-own-sessions";
import { regenerateRecoveryCodesCommand } from "@/lib/mfa/regenerate-recovery-codes";
import { removeTotpCommand } from "@/lib/mfa/remove-totp";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { asOperator, operatorDb } from "../support/as-operator";
import { enrollTotp, memberPrincipalFor, principalForToken, signedInNewMember, signInAs, verifyTotpFor } from "../support/sign-in-helpers";
import { addPasskeyCommand } from "@/lib/mfa/add-passkey";
import { removePasskeyCommand } from "@/lib/mfa/remove-passkey";
import { startPasskeyAuthenticationCommand } from "@/lib/mfa/start-passkey-authentication";
import { startPasskeyRegistrationCommand } from "@/lib/mfa/start-passkey-registration";
import { SoftAuthenticator } from "../support/soft-authenticator";
import { listSourceFiles } from "../support/source-files";
import { makeBranch, makeMember, makeOrder, makeOrg, meta, TEST_PASSWORD, unique } from "../support/factories";
import { makeProduct, makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";
import { updateAccountCommand } from "@/lib/accounts/update-account";
import { recordSupplierReadDeniedCommand } from "@/lib/accounts/record-supplier-read-denied";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { removeBranchAddressCommand } from "@/lib/branch-addresses/remove-branch-address";
import { updateBranchAddressCommand } from "@/lib/branch-addresses/update-branch-address";
import { removeAccountPriceCommand, setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { deleteProductCommand } from "@/lib/catalog/delete-product";
import { applyCatalogImportBatchCommand } from "@/lib/catalog/import/apply-catalog-import-batch";
import { previewCatalogImportCommand } from "@/lib/catalog/import/preview-catalog-import";
import { recordCatalogReadDeniedCommand } from "@/lib/catalog/read-catalog";
import { updateProductCommand } from "@/lib/catalog/update-product";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { deleteConnectionCommand } from "@/lib/sso/delete-connection";
import { setSsoPolicyCommand } from "@/lib/sso/set-sso-policy";
import { linkIdentityCommand } from "@/lib/sso/link-identity";
import { unlinkIdentityCommand } from "@/lib/sso/unlink-identity";
import { unlinkOwnIdentityCommand } from "@/lib/sso/unlink-own-identity";
import { setTxtResolver } from "@/lib/sso/dns-resolver";
import { verifyDomainCommand } from "@/lib/sso/verify-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { startSsoCommand, testConnectionCommand } from "@/lib/sso/start-sso";
import { startTestIdp, type TestIdp } from "../support/oidc-test-idp";
import { addRule, allowLoopbackIdps, orgWithOidc, roleId, ssoSignIn } from "../support/sso-fixtures";
import { orgWithSaml, samlSignIn } from "../support/saml-fixtures";
import { startSamlTestIdp, type SamlTestIdp } from "../support/saml-test-idp";
import { linkThroughSaml, startSamlLink } from "../support/sso-link-fixtures";
import { updateConnectionCommand } from "@/lib/sso/update-connection";
import { removeDomainCommand } from "@/lib/sso/remove-domain";
import { removeMappingCommand } from "@/lib/sso/remove-mapping";
import { orderingCommandCases } from "./ordering-command-cases";
import { scimCommandCases } from "./scim-command-cases";
import { intakeCommandCases } from "./intake-command-cases";
import { intakeProcessCommandCases } from "./intake-process-command-cases";

async function auditCount(action?: string): Promise<number> {
  const rows = await operatorDb().execute<{ n: number }>(action ? sql`select count(*)::int as n from audit_events where action = ${action}` : sql`select count(*)::int as n from audit_events`);
  return rows[0]!.n;
}

/** Runs `fn` and returns how many audit events with `action` it appended. */
async function eventsAppendedBy(action: string, fn: () => Promise<unknown>): Promise<number> {
  const before = await auditCount(action);
  await fn();
  return (await auditCount(action)) - before;
}

// A real OIDC provider on loopback for the SSO commands, and one org connected to it.
let idp: TestIdp;
let world: Awaited<ReturnType<typeof orgWithOidc>> | null = null;
let samlIdp: SamlTestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
  samlIdp = await startSamlTestIdp();
  await ssoWorld();
});
afterAll(async () => {
  await idp.close();
  await samlIdp.close();
});
async function ssoWorld() {
  if (world) return world;
  world = await orgWithOidc(idp);
  await addRule(world.org.operator, world.connection.id, "groups", "staff", "Buyer");
  return world;
}

const anonymous: Principal = { actor: { type: "anonymous", label: "anonymous" }, org: null, membershipId: null, access: noAccess };

describe("every command appends exactly one audit event in its own transaction", () => {
  it("each registered command is exercised here (a new command must be added to this table)", async () => {
    const org = await makeOrg();
    const branch = await makeBranch(org.operator, "Depot");
    const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
    const [viewer] = await operatorDb().select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, "Viewer")));
    const viewerRoleId = viewer!.id;
    process.env.APP_URL = "http://localhost:3999";
    const passkeyOwner: Principal = { ...buyer.principal, org: null, membershipId: null, access: noAccess, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
    const addPasskey = async () => {
      const options = await runCommand(startPasskeyRegistrationCommand, passkeyOwner, meta, {});
      return runCommand(addPasskeyCommand, passkeyOwner, meta, { name: unique("key"), response: new SoftAuthenticator().createRegistrationResponse(options, { origin: "http://localhost:3999" }) });
    };
    // Someone with an authenticator app who just passed an MFA check (changing factors needs one).
    const steppedUpWithTotp = async () => {
      const enrolled = await enrollTotp((await signedInNewMember(org.operator)).token);
      return principalForToken(await verifyTotpFor(enrolled.token, enrolled.secret));
    };
    const exercised: Record<string, () => Promise<unknown>> = {
      "org.created": () => makeOrg(),
      "branch.created": () => makeBranch(org.operator, "Annex"),
      "member.created": () => makeMember(org.operator),
      "order.created": () => makeOrder(org.operator, { branchId: branch.id, buyerId: buyer.userId }),
      "api-token.created": () => runCommand(createApiTokenCommand, org.operator, meta, { email: buyer.email }),
      "auth.signin.succeeded": () => runCommand(signInCommand, anonymous, meta, { email: buyer.email, password: TEST_PASSWORD }),
      "auth.signout": () => runCommand(signOutCommand, { ...buyer.principal, sessionId: undefined }, meta, {}),
      "auth.api-token.rejected": () => runCommand(recordRejectedApiTokenCommand, anonymous, meta, { prefix: null }),
      "auth.refusals.counted": async () => {
        // Two refusals of one key, then their window made to have ended (test setup writes directly).
        for (let i = 0; i < 2; i++) await refuseApiToken(getDb(), { ...meta, ip: "192.0.2.200" }, "cs_COUNTEDtoken");
        await operatorDb().update(refusalTallies).set({ windowStart: sql`${refusalTallies.windowStart} - interval '1 hour'` }).where(eq(refusalTallies.address, "192.0.2.200"));
        return recordQuietRefusals(getDb());
      },
      "order.read.denied": async () => {
        const order = await makeOrder(org.operator, { branchId: branch.id, buyerId: buyer.userId });
        return runCommand(recordOrderReadDeniedCommand, buyer.principal, meta, { orderId: order.id, via: "api" });
      },
      "audit.read.denied": () => runCommand(recordAuditReadDeniedCommand, buyer.principal, meta, { resource: "audit.events" }),
      "audit.exported": () => runCommand(recordAuditExportCommand, org.operator, meta, { format: "jsonl", filters: { action: "order." } }),
      "role.created": () => runCommand(createRoleCommand, org.operator, meta, { name: unique("role") }),
      "role.updated": async () => {
        const role = await runCommand(createRoleCommand, org.operator, meta, { name: unique("role") });
        return runCommand(updateRoleCommand, org.operator, meta, { roleId: role.id, name: unique("renamed"), permissions: ["orders:read"] });
      },
      "role.deleted": async () => runCommand(deleteRoleCommand, org.operator, meta, { roleId: (await runCommand(createRoleCommand, org.operator, meta, { name: unique("role") })).id }),
      "grant.added": () => runCommand(addGrantCommand, org.operator, meta, { membershipId: buyer.membershipId, roleId: viewerRoleId, branchId: branch.id }),
      "grant.revoked": async () => {
        const grant = await runCommand(addGrantCommand, org.operator, meta, { membershipId: buyer.membershipId, roleId: viewerRoleId, branchId: branch.id });
        return runCommand(revokeGrantCommand, org.operator, meta, { grantId: grant.id });
      },
      "branch.renamed": async () => runCommand(renameBranchCommand, org.operator, meta, { branchId: (await makeBranch(org.operator, unique("b"))).id, name: unique("renamed") }),
      "branch.moved": async () => runCommand(moveBranchCommand, org.operator, meta, { branchId: (await makeBranch(org.operator, unique("b"))).id, newParentId: branch.id }),
      "branch.deleted": async () => runCommand(deleteBranchCommand, org.operator, meta, { branchId: (await makeBranch(org.operator, unique("b"))).id }),
      "orders.exported": () => runCommand(recordOrderExportCommand, buyer.principal, meta, { list: "orders", filters: { sort: "placed", dir: "desc" } }),
      "branch.updated": async () => runCommand(updateBranchCommand, org.operator, meta, { branchId: (await makeBranch(org.operator, unique("b"))).id, name: unique("renamed"), parentId: branch.id }),
      // Reset, invitation and member sign-in commands; each on a fresh member, so the buyer above keeps its password.
      "auth.password_reset.requested": async () => runCommand(requestPasswordResetCommand, anonymous, meta, { email: (await makeMember(org.operator)).email }),
      "auth.password_reset.completed": async () => {
        const { mail } = await runCommand(requestPasswordResetCommand, anonymous, meta, { email: (await makeMember(org.operator)).email });
        return runCommand(completePasswordResetCommand, anonymous, meta, { token: new URL(mail!.message.link).searchParams.get("token"), password: "a long enough new passphrase" });
      },
      "member.password_reset.sent": async () => runCommand(sendMemberPasswordResetCommand, org.operator, meta, { membershipId: (await makeMember(org.operator)).membershipId }),
      "member.invitation.resent": async () => runCommand(resendInvitationCommand, org.operator, meta, { membershipId: (await runCommand(createMemberCommand, org.operator, meta, { email: `${unique("inv")}@example.test` })).membershipId }),
      "invitation.accepted": async () => {
        const { invitation } = await runCommand(createMemberCommand, org.operator, meta, { email: `${unique("inv")}@example.test` });
        return runCommand(acceptInvitationCommand, anonymous, meta, { token: new URL(invitation!.message.link).searchParams.get("token"), password: "a long enough new passphrase" });
      },
      "member.sessions.revoked": async () => runCommand(revokeMemberSessionsCommand, org.operator, meta, { membershipId: (await makeMember(org.operator)).membershipId }),
      "member.deactivated": async () => runCommand(deactivateMemberCommand, org.operator, meta, { membershipId: (await makeMember(org.operator)).membershipId }),
      "member.mfa.unblocked": async () => {
        const member = await makeMember(org.operator);
        await operatorDb().insert(authThrottle).values({ key: `mfa:${member.userId}`, failures: 100 });
        return runCommand(unblockMemberSecondFactorCommand, org.operator, meta, { membershipId: member.membershipId });
      },
      "account.email_change.requested": async () =>
        runCommand(requestEmailChangeCommand, await principalForToken((await signedInNewMember(org.operator)).token), meta, { newEmail: `${unique("moved")}@example.test` }),
      "account.email_changed": async () => {
        const principal = await principalForToken((await signedInNewMember(org.operator)).token);
        const { mail } = await runCommand(requestEmailChangeCommand, principal, meta, { newEmail: `${unique("moved")}@example.test` });
        return runCommand(confirmEmailChangeCommand, anonymous, meta, { token: new URL(mail.message.link).searchParams.get("token") });
      },
      "member.updated": async () => runCommand(updateMemberCommand, org.operator, meta, { membershipId: (await makeMember(org.operator)).membershipId, status: "deactivated", grants: [{ roleId: viewerRoleId, branchId: branch.id }] }),
      "member.removed": async () => runCommand(removeMemberCommand, org.operator, meta, { membershipId: (await makeMember(org.operator)).membershipId }),
      "member.reactivated": async () => {
        const { membershipId } = await makeMember(org.operator);
        await runCommand(deactivateMemberCommand, org.operator, meta, { membershipId });
        return runCommand(reactivateMemberCommand, org.operator, meta, { membershipId });
      },
      // Account security commands, each on a fresh member's own session.
      "auth.reauthenticated": async () => runCommand(reauthenticateCommand, await principalForToken((await signedInNewMember(org.operator)).token), meta, { password: TEST_PASSWORD }),
      "auth.password.changed": async () =>
        runCommand(changePasswordCommand, await principalForToken((await signedInNewMember(org.operator)).token), meta, { currentPassword: TEST_PASSWORD, newPassword: "a long enough new passphrase" }),
      "session.revoked": async () => {
        const other = await signedInNewMember(org.operator);
        return runCommand(revokeOwnSessionCommand, await principalForToken((await signInAs(other.email)).token), meta, { sessionId: other.row.id });
      },
      "session.others_revoked": async () => runCommand(revokeOtherSessionsCommand, await principalForToken((await signedInNewMember(org.operator)).token), meta, {}),
      "mfa.totp.enrollment_started": async () => runCommand(startTotpEnrollmentCommand, await principalForToken((await signedInNewMember(org.operator)).token), meta, {}),
      "mfa.totp.enrolled": async () => enrollTotp((await signedInNewMember(org.operator)).token),
      "auth.mfa.verified": async () => {
        const member = await signedInNewMember(org.operator);
        const { secret } = await enrollTotp(member.token);
        return verifyTotpFor((await signInAs(member.email)).token, secret);
      },
      "mfa.totp.removed": async () => runCommand(removeTotpCommand, await steppedUpWithTotp(), meta, {}),
      "mfa.recovery_codes.regenerated": async () => runCommand(regenerateRecoveryCodesCommand, await steppedUpWithTotp(), meta, {}),
      "org.mfa_policy.changed": () => runCommand(setMfaPolicyCommand, org.operator, meta, { requireMfa: false }),
      "auth.mfa.required": async () => {
        // A Buyer granted Manager (users:manage) mid-session: their session goes back to enrollment.
        const member = await signedInNewMember(org.operator);
        const [manager] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, "Manager"))));
        const [membership] = await asOperator((tx) => tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, member.userId))));
        await runCommand(addGrantCommand, org.operator, meta, { membershipId: membership!.id, roleId: manager!.id });
        return runCommand(requireSessionMfaCommand, await memberPrincipalFor(member.token, org.slug), meta, {});
      },
      // Passkeys, on the buyer's own account (a fresh sign-in with MFA, so the step-up passes).
      "mfa.passkey.registration_started": () => runCommand(startPasskeyRegistrationCommand, passkeyOwner, meta, {}),
      "mfa.passkey.added": () => addPasskey(),
      "mfa.challenge.issued": async () => {
        await addPasskey();
        return runCommand(startPasskeyAuthenticationCommand, passkeyOwner, meta, {});
      },
      "mfa.passkey.removed": async () => runCommand(removePasskeyCommand, passkeyOwner, meta, { passkeyId: (await addPasskey()).id }),
      // The supplier (created once: the first entry), its accounts and catalog, and branch addresses.
      "supplier.created": () => makeSupplier(),
      "account.opened": () => openAccount(org.id),
      "account.updated": async () => runCommand(updateAccountCommand, (await makeSupplier()).operator, meta, { accountId: org.id, tier: "Platinum" }),
      "catalog.product.created": () => makeProduct(),
      "catalog.product.updated": async () => runCommand(updateProductCommand, (await makeSupplier()).operator, meta, { productId: (await makeProduct()).id, name: "Renamed" }),
      "catalog.product.deleted": async () => runCommand(deleteProductCommand, (await makeSupplier()).operator, meta, { productId: (await makeProduct()).id }),
      "catalog.account-price.set": async () => runCommand(setAccountPriceCommand, (await makeSupplier()).operator, meta, { productId: (await makeProduct()).id, accountId: org.id, currency: "USD", unitPriceMinor: 1 }),
      "catalog.account-price.removed": async () => {
        const s = await makeSupplier();
        const product = await makeProduct();
        await runCommand(setAccountPriceCommand, s.operator, meta, { productId: product.id, accountId: org.id, currency: "USD", unitPriceMinor: 1 });
        return runCommand(removeAccountPriceCommand, s.operator, meta, { productId: product.id, accountId: org.id, currency: "USD" });
      },
      "catalog.import.previewed": async () => runCommand(previewCatalogImportCommand, (await makeSupplier()).operator, meta, { fileName: "a.csv", content: new TextEncoder().encode(`sku,name\n${unique("IMP")},Bolt\n`) }),
      "member.import.previewed": async () => runCommand(previewMemberImportCommand, org.operator, meta, { fileName: "m.csv", content: new TextEncoder().encode(`email\n${unique("mi")}@example.test\n`) }),
      "member.import.batch.applied": async () => {
        const preview = await runCommand(previewMemberImportCommand, org.operator, meta, { fileName: "m.csv", content: new TextEncoder().encode(`email\n${unique("mi")}@example.test\n`) });
        return runCommand(applyMemberImportBatchCommand, org.operator, meta, { importId: preview.id });
      },
      "catalog.import.batch.applied": async () => {
        const s = await makeSupplier();
        const preview = await runCommand(previewCatalogImportCommand, s.operator, meta, { fileName: "b.csv", content: new TextEncoder().encode(`sku,name\n${unique("IMP")},Nut\n`) });
        return runCommand(applyCatalogImportBatchCommand, s.operator, meta, { importId: preview.id });
      },
      "supplier.read.denied": () => runCommand(recordSupplierReadDeniedCommand, buyer.principal, meta, { permission: "accounts:read", reason: "Only the supplier's staff can do that.", what: "test" }),
      "catalog.read.denied": async () => runCommand(recordCatalogReadDeniedCommand, (await makeSupplierStaff("Viewer")).principal, meta, { reason: "test" }),
      "branch.address.added": () => runCommand(addBranchAddressCommand, org.operator, meta, { branchId: branch.id, label: "Dock", lines: ["1 Main St"], city: "Gary", country: "US" }),
      "branch.address.updated": async () => {
        const address = await runCommand(addBranchAddressCommand, org.operator, meta, { branchId: branch.id, label: "Dock", lines: ["1 Main St"], city: "Gary", country: "US" });
        return runCommand(updateBranchAddressCommand, org.operator, meta, { branchId: branch.id, addressId: address.id, label: "Dock 2" });
      },
      "branch.address.removed": async () => {
        const address = await runCommand(addBranchAddressCommand, org.operator, meta, { branchId: branch.id, label: "Dock", lines: ["1 Main St"], city: "Gary", country: "US" });
        return runCommand(removeBranchAddressCommand, org.operator, meta, { branchId: branch.id, addressId: address.id });
      },
      // SSO (issue 11): connections and domains, as the operator (the step-up passes).
      "sso.connection.created": () => runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" }),
      "sso.domain.added": () => runCommand(addDomainCommand, org.operator, meta, { domain: `${unique("d")}.test` }),
      "sso.domain.verified": async () => {
        const added = await runCommand(addDomainCommand, org.operator, meta, { domain: `${unique("v")}.test` });
        setTxtResolver(async () => [[added.txtRecord.value]]);
        return runCommand(verifyDomainCommand, org.operator, meta, { domainId: added.id }).finally(() => setTxtResolver(null));
      },
      "sso.mapping.added": async () => {
        const world = await ssoWorld();
        return runCommand(addMappingCommand, world.org.operator, meta, { connectionId: world.connection.id, claim: "groups", value: unique("g"), roleId: await roleId(world.org.id, "Viewer") });
      },
      "auth.sso.started": async () => runCommand(startSsoCommand, anonymous, meta, { connectionId: (await ssoWorld()).connection.id }),
      "sso.connection.test_started": async () => {
        const world = await ssoWorld();
        return runCommand(testConnectionCommand, world.org.operator, meta, { connectionId: world.connection.id });
      },
      "auth.sso.succeeded": async () => {
        const world = await ssoWorld();
        return ssoSignIn(idp, world.connection.id, { sub: unique("sub"), email: `${unique("jit")}@${world.domain}`, groups: ["staff"] });
      },
      "sso.connection.deleted": async () => {
        const created = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" });
        return runCommand(deleteConnectionCommand, org.operator, meta, { connectionId: created.id });
      },
      "sso.policy.changed": () => runCommand(setSsoPolicyCommand, org.operator, meta, { requireSso: false }),
      "sso.connection.updated": async () => {
        const created = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" });
        return runCommand(updateConnectionCommand, org.operator, meta, { connectionId: created.id, name: "Renamed" });
      },
      "sso.domain.removed": async () => {
        const added = await runCommand(addDomainCommand, org.operator, meta, { domain: `${unique("r")}.test` });
        return runCommand(removeDomainCommand, org.operator, meta, { domainId: added.id });
      },
      "sso.mapping.removed": async () => {
        const world = await ssoWorld();
        const rule = await runCommand(addMappingCommand, world.org.operator, meta, { connectionId: world.connection.id, claim: "groups", value: unique("g"), roleId: await roleId(world.org.id, "Viewer") });
        return runCommand(removeMappingCommand, world.org.operator, meta, { mappingId: rule.id });
      },
      "auth.sso.saml.succeeded": async () => {
        const saml = await orgWithSaml(samlIdp);
        await addRule(saml.org.operator, saml.connection.id, "groups", "buyers", "Buyer");
        const local = unique("saml");
        return samlSignIn(samlIdp, saml.connection, { nameId: `${local}@${saml.domain}`, attributes: { email: `${local}@${saml.domain}`, name: "Sam L", groups: ["buyers"] } });
      },
      // Drafts, submission, decisions and approval rules (after the supplier exists).
      ...orderingCommandCases(),
      // SCIM tokens and provisioning through the SCIM routes.
      ...scimCommandCases(),
      // Order intake (issue 14): channels, mappings, cross-references, rules, acceptance.
      ...intakeCommandCases(),
      // The intake pipeline: orders created and revised by a channel, dead letters handled.
      ...intakeProcessCommandCases(),
      "sso.identity.linked": async () => {
        const world = await ssoWorld();
        const member = await makeMember(world.org.operator, { email: `${unique("link")}@${world.domain}` });
        return runCommand(linkIdentityCommand, world.org.operator, meta, { connectionId: world.connection.id, subject: unique("sub"), email: member.email });
      },
      "account.sso_link.started": async () => startSamlLink(await orgWithSaml(samlIdp)),
      "account.sso_identity.linked": async () => linkThroughSaml(samlIdp, await orgWithSaml(samlIdp)),
      "account.sso_identity.unlinked": async () => {
        const linked = await linkThroughSaml(samlIdp, await orgWithSaml(samlIdp));
        return runCommand(unlinkOwnIdentityCommand, linked.me, meta, { identityId: linked.id });
      },
      "sso.identity.unlinked": async () => {
        const world = await ssoWorld();
        const member = await makeMember(world.org.operator, { email: `${unique("unlink")}@${world.domain}` });
        const { id } = await runCommand(linkIdentityCommand, world.org.operator, meta, { connectionId: world.connection.id, subject: unique("sub"), email: member.email });
        return runCommand(unlinkIdentityCommand, world.org.operator, meta, { identityId: id });
      },
    };
    // Import every command module so the registry is complete, then compare.
    for (const f of listSourceFiles().filter((s) => s.file.startsWith("lib/") && s.text.includes("defineCommand("))) await import(`@/${f.file.replace(/\.ts$/, "")}`);
    expect(Object.keys(exercised).sort()).toEqual(listRegisteredCommands());
    for (const [action, run] of Object.entries(exercised)) expect(await eventsAppendedBy(action, run), action).toBe(1);
  }, 180_000); // every command, SSO sign-ins through a real IdP and many password hashes among them: minutes on a loaded machine

  it("a refused command changes nothing and records the denial", async () => {
    const org = await makeOrg();
    const chicago = await makeBranch(org.operator, "Chicago");
    const berlin = await makeBranch(org.operator, "Berlin");
    const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
    const denied = await eventsAppendedBy("access.denied", () =>
      expect(runCommand(createOrderCommand, buyer.principal, meta, { branchId: berlin.id, currency: "USD", lines: [{ sku: "A", description: "A", quantity: 1, unitPriceMinor: 1 }] })).rejects.toBeInstanceOf(HiddenTargetError),
    );
    expect(denied).toBe(1);
    const orders = await operatorDb().execute<{ n: number }>(sql`select count(*)::int as n from orders where org_id = ${org.id}`);
    expect(orders[0]!.n).toBe(0);
  });

  it("invalid input is rejected with the field named and nothing written", async () => {
    const org = await makeOrg();
    const branch = await makeBranch(org.operator, "Depot");
    const before = await auditCount();
    const error = await runCommand(createOrderCommand, org.operator, meta, { branchId: branch.id, currency: "usd", lines: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors).sort()).toEqual(["currency", "lines"]);
    expect(await auditCount()).toBe(before);
  });

  it("a failed sign-in is recorded with the email tried and never the password", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    await expect(runCommand(signInCommand, anonymous, meta, { email: member.email, password: "wrong password here" })).rejects.toThrow("Incorrect email or password.");
    await expect(runCommand(signInCommand, anonymous, meta, { email: "nobody@example.test", password: "wrong password here" })).rejects.toThrow("Incorrect email or password.");
    const rows = await operatorDb().execute<{ metadata: Record<string, unknown> }>(sql`select metadata from audit_events where action = 'auth.signin.failed' order by id`);
    expect(rows.map((r) => r.metadata.email)).toEqual([member.email, "nobody@example.test"]);
    expect(JSON.stringify(rows)).not.toContain("wrong password here");
  });
});
