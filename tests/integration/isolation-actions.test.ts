import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { deleteBranchCommand } from "@/lib/branches/delete-branch";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { renameBranchCommand } from "@/lib/branches/rename-branch";
import { runCommand, type CommandDefinition } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { AppError, httpStatusFor } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { revokeGrantCommand } from "@/lib/grants/revoke-grant";
import { createMemberCommand } from "@/lib/identity/create-member";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { updateMemberCommand } from "@/lib/identity/update-member";
import { applyMemberImportBatchCommand } from "@/lib/identity/import/apply-member-import-batch";
import { reactivateMemberCommand } from "@/lib/identity/reactivate-member";
import { resendInvitationCommand } from "@/lib/identity/resend-invitation";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";
import { sendMemberPasswordResetCommand } from "@/lib/identity/send-member-password-reset";
import { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { createRoleCommand } from "@/lib/roles/create-role";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { updateAccountCommand } from "@/lib/accounts/update-account";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { removeBranchAddressCommand } from "@/lib/branch-addresses/remove-branch-address";
import { updateBranchAddressCommand } from "@/lib/branch-addresses/update-branch-address";
import { removeAccountPriceCommand, setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { createProductCommand } from "@/lib/catalog/create-product";
import { deleteProductCommand } from "@/lib/catalog/delete-product";
import { applyCatalogImportBatchCommand } from "@/lib/catalog/import/apply-catalog-import-batch";
import { updateProductCommand } from "@/lib/catalog/update-product";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { cancelOrderCommand } from "@/lib/orders/cancel-order";
import { approveOrderCommand, rejectOrderCommand } from "@/lib/orders/decide-order";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { linkIdentityCommand } from "@/lib/sso/link-identity";
import { unlinkIdentityCommand } from "@/lib/sso/unlink-identity";
import { unlinkOwnIdentityCommand } from "@/lib/sso/unlink-own-identity";
import { startIdentityLinkCommand } from "@/lib/sso/start-identity-link";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { deleteConnectionCommand } from "@/lib/sso/delete-connection";
import { removeDomainCommand } from "@/lib/sso/remove-domain";
import { removeMappingCommand } from "@/lib/sso/remove-mapping";
import { setSsoPolicyCommand } from "@/lib/sso/set-sso-policy";
import { testConnectionCommand } from "@/lib/sso/start-sso";
import { updateConnectionCommand } from "@/lib/sso/update-connection";
import { verifyDomainCommand } from "@/lib/sso/verify-domain";
import { createDelegationCommand } from "@/lib/approvals/create-delegation";
import { approveInvoiceCommand } from "@/lib/invoices/decide-invoice";
import { endDelegationCommand } from "@/lib/approvals/end-delegation";
import { meta, TEST_PASSWORD, unique } from "../support/factories";
import { buildWorld, type World } from "./isolation-world";

/**
 * Server actions take the org from the URL (requirePrincipal) and pass the rest to one command,
 * which does every check. So each action's isolation cases run through its command with the
 * principal the action would build. An exported action missing from this table fails the suite.
 */
type Input = (w: World) => { principal: Principal; input: unknown };
interface ActionCase {
  action: string;
  command: CommandDefinition<never, unknown>;
  wrongOrg?: Input;
  wrongBranch?: Input;
  tooLittle?: Input;
  selfEscalation?: Input;
  /** A supplier-only action called by a customer's member. */
  supplierOnly?: Input;
  expect: { wrongOrg?: number; wrongBranch?: number; tooLittle?: number; selfEscalation?: number; supplierOnly?: number };
}
const cmd = (c: unknown) => c as CommandDefinition<never, unknown>;
// What createSamlConnection hands the command after reading metadata (a certificate-shaped body).
const samlConnectionInput = { protocol: "saml", idpEntityId: "https://idp.example.test", idpSsoUrl: "https://idp.example.test/sso", idpCertificates: [`MII${"A".repeat(200)}`] };

const table: ActionCase[] = [
  {
    action: "createBranchAction",
    command: cmd(createBranchCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { name: "X", parentId: w.b.branches.na.id } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { name: "X", parentId: w.a.branches.emea.id } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { name: "X", parentId: w.a.branches.na.id } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  {
    action: "renameBranchAction",
    command: cmd(renameBranchCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { branchId: w.b.branches.na.id, name: "X" } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { branchId: w.a.branches.berlin.id, name: "X" } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { branchId: w.a.branches.chicago.id, name: "X" } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  {
    action: "moveBranchAction",
    command: cmd(moveBranchCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { branchId: w.a.branches.chicago.id, newParentId: w.b.branches.emea.id } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { branchId: w.a.branches.chicago.id, newParentId: w.a.branches.emea.id } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { branchId: w.a.branches.chicago.id, newParentId: w.a.branches.emea.id } }),
    // Toronto under Chicago would put it under the keeper's Approver grant there.
    selfEscalation: (w) => ({ principal: w.a.members.keeper.principal, input: { branchId: w.a.branches.toronto.id, newParentId: w.a.branches.chicago.id } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    action: "deleteBranchAction",
    command: cmd(deleteBranchCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { branchId: w.b.branches.toronto.id } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { branchId: w.a.branches.berlin.id } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { branchId: w.a.branches.toronto.id } }),
    // The keeper manages North America, not the org level it hangs from: removing it is not theirs.
    selfEscalation: (w) => ({ principal: w.a.members.keeper.principal, input: { branchId: w.a.branches.na.id } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    action: "createRoleAction",
    command: cmd(createRoleCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { name: unique("r"), inherits: [w.b.roles.viewer] } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { name: unique("r") } }),
    expect: { wrongOrg: 422, tooLittle: 403 },
  },
  {
    action: "updateRoleAction",
    command: cmd(updateRoleCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { roleId: w.b.roles.viewer, name: "Viewer", permissions: [] } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { roleId: w.a.roles.viewer, name: "Viewer", permissions: ["audit:read"] } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    action: "deleteRoleAction",
    command: cmd(deleteRoleCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { roleId: w.b.roles.nothing, grants: "revoke" } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { roleId: w.a.roles.nothing, grants: "revoke" } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    action: "createMemberAction",
    command: cmd(createMemberCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { email: `${unique("m")}@example.test`, roleName: "Viewer", branchId: w.b.branches.chicago.id } }),
    wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { email: `${unique("m")}@example.test`, roleName: "Viewer", branchId: w.a.branches.berlin.id } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { email: `${unique("m")}@example.test`, roleName: "Viewer", branchId: w.a.branches.chicago.id } }),
    selfEscalation: (w) => ({ principal: w.a.members.manager.principal, input: { email: `${unique("m")}@example.test`, roleName: "Admin", branchId: w.a.branches.na.id } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  // The Users page's bulk actions run one command per selected member: deactivate, grant, or move
  // (member.updated with the member's roles at the new branch). Each command's cases, as the action calls it.
  {
    action: "bulkMembersAction",
    command: cmd(deactivateMemberCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { membershipId: w.b.members.viewer.membershipId } }),
    wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.berliner.membershipId } }),
    tooLittle: (w) => ({ principal: w.a.members.keeper.principal, input: { membershipId: w.a.members.buyer.membershipId } }),
    selfEscalation: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.manager.membershipId } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    action: "bulkMembersAction",
    command: cmd(addGrantCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { membershipId: w.b.members.viewer.membershipId, roleId: w.a.roles.viewer } }),
    wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.viewer.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.berlin.id } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { membershipId: w.a.members.nobody.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.chicago.id } }),
    selfEscalation: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.manager.membershipId, roleId: w.a.roles.buyer, branchId: w.a.branches.na.id } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    action: "bulkMembersAction",
    command: cmd(updateMemberCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { membershipId: w.b.members.viewer.membershipId, grants: [{ roleId: w.a.roles.viewer, branchId: null }] } }),
    // Moving the Chicago viewer to Berlin: the manager of North America cannot see Berlin.
    wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.viewer.membershipId, grants: [{ roleId: w.a.roles.viewer, branchId: w.a.branches.berlin.id }] } }),
    tooLittle: (w) => ({ principal: w.a.members.keeper.principal, input: { membershipId: w.a.members.buyer.membershipId, grants: [{ roleId: w.a.roles.buyer, branchId: w.a.branches.toronto.id }] } }),
    selfEscalation: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.manager.membershipId, grants: [{ roleId: w.a.roles.viewer, branchId: null }] } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    action: "applyMemberImportBatchAction",
    command: cmd(applyMemberImportBatchCommand),
    // Tenant B's import is not found for A's admin; a member without users:manage is refused before it is read.
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { importId: w.b.memberImport } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { importId: w.a.memberImport } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    action: "addGrantAction",
    command: cmd(addGrantCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { membershipId: w.b.members.viewer.membershipId, roleId: w.a.roles.viewer } }),
    wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.viewer.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.berlin.id } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { membershipId: w.a.members.nobody.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.chicago.id } }),
    selfEscalation: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.manager.membershipId, roleId: w.a.roles.buyer, branchId: w.a.branches.na.id } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    action: "revokeGrantAction",
    command: cmd(revokeGrantCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { grantId: w.b.grants.viewer } }),
    wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { grantId: w.a.grants.berliner } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { grantId: w.a.grants.berliner } }),
    selfEscalation: (w) => ({ principal: w.a.members.manager.principal, input: { grantId: w.a.grants.manager } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    // The org comes from the URL and the input holds no id, so there is no other org to reach.
    action: "setMfaPolicyAction",
    command: cmd(setMfaPolicyCommand),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { requireMfa: true } }),
    expect: { tooLittle: 403 },
  },
  // A member's sign-in controls (app/orgs/[org]/users/[id]/security-actions.ts): users:manage at every branch of the member.
  ...(
    [
      ["sendPasswordResetAction", sendMemberPasswordResetCommand],
      ["resendInvitationAction", resendInvitationCommand],
      ["revokeMemberSessionsAction", revokeMemberSessionsCommand],
      ["deactivateMemberAction", deactivateMemberCommand],
      ["reactivateMemberAction", reactivateMemberCommand],
    ] as const
  ).map(
    ([action, command]): ActionCase => ({
      action,
      command: cmd(command),
      wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { membershipId: w.b.members.viewer.membershipId } }),
      wrongBranch: (w) => ({ principal: w.a.members.manager.principal, input: { membershipId: w.a.members.berliner.membershipId } }),
      tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { membershipId: w.a.members.berliner.membershipId } }),
      ...(action === "deactivateMemberAction" ? { selfEscalation: (w: World) => ({ principal: w.a.members.admin.principal, input: { membershipId: w.a.members.admin.membershipId } }) } : {}),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
    }),
  ),
  {
    // Same gate as the member controls above, behind the administrator's own recent MFA check
    // (given here, so each case reaches the member lookup).
    action: "unblockSecondFactorAction",
    command: cmd(unblockMemberSecondFactorCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { membershipId: w.b.members.viewer.membershipId } }),
    wrongBranch: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: { membershipId: w.a.members.berliner.membershipId } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.viewer.principal), input: { membershipId: w.a.members.berliner.membershipId } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  // The supplier's pages (app/orgs/[org]/accounts, app/orgs/[org]/catalog): supplier staff only.
  {
    action: "openAccountAction",
    command: cmd(openAccountCommand),
    wrongOrg: (w) => ({ principal: w.supplier.staff.accounts.principal, input: { orgId: w.supplier.org.id, baseCurrency: "USD" } }),
    tooLittle: (w) => ({ principal: w.supplier.staff.viewer.principal, input: { orgId: w.supplier.notAnAccount.id, baseCurrency: "USD" } }),
    supplierOnly: (w) => ({ principal: w.a.members.admin.principal, input: { orgId: w.supplier.notAnAccount.id, baseCurrency: "USD" } }),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  {
    action: "updateAccountAction",
    command: cmd(updateAccountCommand),
    wrongOrg: (w) => ({ principal: w.supplier.staff.accounts.principal, input: { accountId: w.supplier.notAnAccount.id, tier: "Gold" } }),
    tooLittle: (w) => ({ principal: w.supplier.staff.catalog.principal, input: { accountId: w.a.org.id, tier: "Gold" } }),
    selfEscalation: (w) => ({ principal: w.a.members.admin.principal, input: { accountId: w.a.org.id, creditLimitMinor: 999_999_999 } }),
    supplierOnly: (w) => ({ principal: w.a.members.admin.principal, input: { accountId: w.b.org.id, tier: "Bronze" } }),
    expect: { wrongOrg: 404, tooLittle: 403, selfEscalation: 403, supplierOnly: 403 },
  },
  {
    action: "createProductAction",
    command: cmd(createProductCommand),
    tooLittle: (w) => ({ principal: w.supplier.staff.viewer.principal, input: { sku: unique("ISO"), name: "N" } }),
    supplierOnly: (w) => ({ principal: w.a.members.admin.principal, input: { sku: unique("ISO"), name: "N" } }),
    expect: { tooLittle: 403, supplierOnly: 403 },
  },
  ...(
    [
      ["updateProductAction", updateProductCommand, { name: "Renamed" }],
      ["deleteProductAction", deleteProductCommand, {}],
    ] as const
  ).map(
    ([action, command, extra]): ActionCase => ({
      action,
      command: cmd(command),
      wrongOrg: (w) => ({ principal: w.supplier.staff.catalog.principal, input: { productId: crypto.randomUUID(), ...extra } }),
      tooLittle: (w) => ({ principal: w.supplier.staff.accounts.principal, input: { productId: w.supplier.product.id, ...extra } }),
      supplierOnly: (w) => ({ principal: w.a.members.admin.principal, input: { productId: w.supplier.product.id, ...extra } }),
      expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
    }),
  ),
  {
    action: "setAccountPriceAction",
    command: cmd(setAccountPriceCommand),
    wrongOrg: (w) => ({ principal: w.supplier.staff.accounts.principal, input: { productId: w.supplier.product.id, accountId: w.supplier.notAnAccount.id, currency: "USD", unitPriceMinor: 1 } }),
    tooLittle: (w) => ({ principal: w.supplier.staff.catalog.principal, input: { productId: w.supplier.product.id, accountId: w.a.org.id, currency: "USD", unitPriceMinor: 1 } }),
    selfEscalation: (w) => ({ principal: w.a.members.admin.principal, input: { productId: w.supplier.product.id, accountId: w.a.org.id, currency: "USD", unitPriceMinor: 1 } }),
    supplierOnly: (w) => ({ principal: w.b.members.admin.principal, input: { productId: w.supplier.product.id, accountId: w.a.org.id, currency: "USD", unitPriceMinor: 1 } }),
    expect: { wrongOrg: 404, tooLittle: 403, selfEscalation: 403, supplierOnly: 403 },
  },
  {
    action: "removeAccountPriceAction",
    command: cmd(removeAccountPriceCommand),
    wrongOrg: (w) => ({ principal: w.supplier.staff.accounts.principal, input: { productId: w.supplier.product.id, accountId: w.supplier.notAnAccount.id, currency: "USD" } }),
    tooLittle: (w) => ({ principal: w.supplier.staff.catalog.principal, input: { productId: w.supplier.product.id, accountId: w.b.org.id, currency: "USD" } }),
    supplierOnly: (w) => ({ principal: w.a.members.admin.principal, input: { productId: w.supplier.product.id, accountId: w.b.org.id, currency: "USD" } }),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  {
    action: "applyImportBatchAction",
    command: cmd(applyCatalogImportBatchCommand),
    wrongOrg: (w) => ({ principal: w.supplier.staff.catalog.principal, input: { importId: crypto.randomUUID() } }),
    tooLittle: (w) => ({ principal: w.supplier.staff.viewer.principal, input: { importId: crypto.randomUUID() } }),
    supplierOnly: (w) => ({ principal: w.a.members.admin.principal, input: { importId: crypto.randomUUID() } }),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  // Branch addresses (app/orgs/[org]/branches/address-actions.ts): branches:manage at the branch.
  {
    action: "addAddressAction",
    command: cmd(addBranchAddressCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { branchId: w.b.branches.chicago.id, label: "X", lines: ["1"], city: "C", country: "US" } }),
    wrongBranch: (w) => ({ principal: w.a.members.siteAdmin.principal, input: { branchId: w.a.branches.berlin.id, label: "X", lines: ["1"], city: "C", country: "US" } }),
    tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { branchId: w.a.branches.chicago.id, label: "X", lines: ["1"], city: "C", country: "US" } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  ...(
    [
      ["updateAddressAction", updateBranchAddressCommand, { label: "Mine" }],
      ["removeAddressAction", removeBranchAddressCommand, {}],
    ] as const
  ).map(
    ([action, command, extra]): ActionCase => ({
      action,
      command: cmd(command),
      wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { branchId: w.a.branches.chicago.id, addressId: w.b.addresses.chicago, ...extra } }),
      wrongBranch: (w) => ({ principal: w.a.members.siteAdmin.principal, input: { branchId: w.a.branches.berlin.id, addressId: w.a.addresses.berlin, ...extra } }),
      tooLittle: (w) => ({ principal: w.a.members.manager.principal, input: { branchId: w.a.branches.chicago.id, addressId: w.a.addresses.chicago, ...extra } }),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
    }),
  ),
  // Ordering (app/orgs/[org]/orders/actions.ts, app/orgs/[org]/approvals/actions.ts).
  {
    action: "createOrderAction",
    command: cmd(draftOrderCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { branchId: w.b.branches.chicago.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } }),
    wrongBranch: (w) => ({ principal: w.a.members.buyer.principal, input: { branchId: w.a.branches.berlin.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { branchId: w.a.branches.chicago.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  ...(
    [
      ["submitOrderAction", submitOrderCommand, "drafts"],
      ["cancelOrderAction", cancelOrderCommand, "drafts"],
      ["approveOrderAction", approveOrderCommand, "waiting"],
      ["rejectOrderAction", rejectOrderCommand, "waiting"],
      ["decideApprovalsAction", approveOrderCommand, "waiting"],
    ] as const
  ).map(
    ([action, command, kind]): ActionCase => ({
      action,
      command: cmd(command),
      wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { orderId: w.b.ordering[kind].chicago } }),
      wrongBranch: (w) => ({ principal: kind === "drafts" ? w.a.members.buyer.principal : w.a.members.keeper.principal, input: { orderId: w.a.ordering[kind].berlin } }),
      tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { orderId: w.a.ordering[kind].chicago } }),
      // The buyer deciding on their own order.
      ...(kind === "waiting" ? { selfEscalation: (w: World) => ({ principal: w.a.members.buyer.principal, input: { orderId: w.a.ordering.waiting.chicago } }) } : {}),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, ...(kind === "waiting" ? { selfEscalation: 403 } : {}) },
    }),
  ),
  // SSO settings (app/orgs/[org]/settings/sso/actions.ts): sso:manage at the org root and, for
  // changes, a recent second factor (so the admin here has just stepped up). No branch to miss.
  {
    action: "createOidcConnectionAction",
    command: cmd(createConnectionCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s", defaultRoleId: w.b.roles.viewer } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    // The action reads the IdP's metadata first (createSamlConnection refuses this same actor
    // before any fetch: sso-saml-refusals.test.ts), then runs this command with what it found.
    action: "createSamlConnectionAction",
    command: cmd(createConnectionCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { ...samlConnectionInput, defaultRoleId: w.b.roles.viewer } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: samlConnectionInput }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  ...(
    [
      ["updateConnectionAction", updateConnectionCommand, (id: string) => ({ connectionId: id, name: "Hijacked" }), "connection"],
      ["deleteConnectionAction", deleteConnectionCommand, (id: string) => ({ connectionId: id }), "connection"],
      ["testConnectionAction", testConnectionCommand, (id: string) => ({ connectionId: id }), "connection"],
      ["addDomainAction", addDomainCommand, (id: string) => ({ connectionId: id, domain: `${unique("smuggled")}.example.test` }), "connection"],
      ["verifyDomainAction", verifyDomainCommand, (id: string) => ({ domainId: id }), "domain"],
      ["removeDomainAction", removeDomainCommand, (id: string) => ({ domainId: id }), "domain"],
      ["removeMappingAction", removeMappingCommand, (id: string) => ({ mappingId: id }), "mapping"],
    ] as const
  ).map(
    ([action, command, input, key]): ActionCase => ({
      action,
      command: cmd(command),
      wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: input(w.b.sso[key]) }),
      tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: input(w.a.sso[key]) }),
      expect: { wrongOrg: 404, tooLittle: 403 },
    }),
  ),
  {
    action: "addMappingAction",
    command: cmd(addMappingCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { connectionId: w.b.sso.connection, claim: "groups", value: "x", roleId: w.a.roles.viewer } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: { connectionId: w.a.sso.connection, claim: "groups", value: "x", roleId: w.a.roles.viewer } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    action: "linkIdentityAction",
    command: cmd(linkIdentityCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { connectionId: w.b.sso.connection, subject: "smuggled", email: w.a.members.buyer.email } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: { connectionId: w.a.sso.connection, subject: "smuggled", email: w.a.members.buyer.email } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    // The Security page's own linking (app/account/security/sso-link-actions.ts), as the person's
    // membership of the org: another org's connection reads as missing, the account is always theirs.
    action: "startIdentityLinkAction",
    command: cmd(startIdentityLinkCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.buyer.principal), input: { connectionId: w.b.sso.connection, password: TEST_PASSWORD } }),
    expect: { wrongOrg: 404 },
  },
  {
    // The member page's unlink (app/orgs/[org]/users/[id]/sso-identity-actions.ts).
    action: "unlinkMemberIdentityAction",
    command: cmd(unlinkIdentityCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { identityId: w.b.sso.identity } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: { identityId: w.a.sso.identity } }),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    // The Security page's own unlink: only the person's own identity in the membership's org.
    action: "unlinkOwnIdentityAction",
    command: cmd(unlinkOwnIdentityCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.buyer.principal), input: { identityId: w.b.sso.identity } }),
    expect: { wrongOrg: 404 },
  },
  {
    // Another org's member cannot be named break-glass: they are not an active member here.
    action: "setSsoPolicyAction",
    command: cmd(setSsoPolicyCommand),
    wrongOrg: (w) => ({ principal: steppedUp(w.a.members.admin.principal), input: { requireSso: true, breakGlassEmails: [w.b.members.admin.email] } }),
    tooLittle: (w) => ({ principal: steppedUp(w.a.members.manager.principal), input: { requireSso: false } }),
    expect: { wrongOrg: 422, tooLittle: 403 },
  },
  // Invoices (app/orgs/[org]/invoices/actions.ts): approve (and dispute, the same checks).
  {
    action: "decideInvoiceAction",
    command: cmd(approveInvoiceCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { invoiceId: w.invoices.b.chicago } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { invoiceId: w.invoices.a.berlin } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { invoiceId: w.invoices.a.chicago } }),
    // The keeper deciding the invoice of their own order.
    selfEscalation: (w) => ({ principal: w.a.members.keeper.principal, input: { invoiceId: w.invoices.a.keepersOwn } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  // Delegates (app/orgs/[org]/approvals/actions.ts): the delegator is always the caller.
  {
    action: "createDelegationAction",
    command: cmd(createDelegationCommand),
    wrongOrg: (w) => ({ principal: w.a.members.manager.principal, input: { delegateMembershipId: w.b.members.admin.membershipId, endsAt: new Date(Date.now() + 86_400_000) } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { delegateMembershipId: w.a.members.berliner.membershipId, endsAt: new Date(Date.now() + 86_400_000) } }),
    tooLittle: (w) => ({ principal: w.a.members.viewer.principal, input: { delegateMembershipId: w.a.members.admin.membershipId, endsAt: new Date(Date.now() + 86_400_000) } }),
    selfEscalation: (w) => ({ principal: w.a.members.keeper.principal, input: { delegateMembershipId: w.a.members.keeper.membershipId, endsAt: new Date(Date.now() + 86_400_000) } }),
    expect: { wrongOrg: 404, wrongBranch: 422, tooLittle: 403, selfEscalation: 422 },
  },
  {
    action: "endDelegationAction",
    command: cmd(endDelegationCommand),
    wrongOrg: (w) => ({ principal: w.a.members.admin.principal, input: { delegationId: w.delegations.b } }),
    wrongBranch: (w) => ({ principal: w.a.members.keeper.principal, input: { delegationId: w.delegations.a } }),
    tooLittle: (w) => ({ principal: w.a.members.nobody.principal, input: { delegationId: w.delegations.a } }),
    // The delegate ending the delegation that names them.
    selfEscalation: (w) => ({ principal: w.a.members.admin.principal, input: { delegationId: w.delegations.a } }),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404, selfEscalation: 404 },
  },
];

/** A principal right after a second-factor check, for commands that need an MFA step-up. */
function steppedUp(principal: Principal): Principal {
  return { ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
}

// Actions whose commands this table does not build a world for, each with the suite that runs the
// same command as another org, a customer and too little permission.
const coveredElsewhere = new Map([
  ["replayDeadLetterAction", "intake.dead_letter.replayed, also behind POST /api/v1/intake/dead-letters/{id}/replay: another org, a customer's admin and a viewer are refused and the letter stays open (intake-dead-letters.test.ts)"],
  ["discardDeadLetterAction", "intake.dead_letter.discarded, also behind POST /api/v1/intake/dead-letters/{id}/discard: the same three refusals (intake-dead-letters.test.ts)"],
]);

// Actions with no tenant target, each with the reason.
const identityActions = new Map([
  // The Security page: the person's own account (no org). Each command takes the user from the
  // session; an id from the page is looked up among the person's own rows only.
  ["revokeOwnSessionAction", "own sessions only: another person's session id answers 404 (security-page-reads.test.ts)"],
  ["revokeOtherSessionsAction", "ends the caller's own other sessions only (security-page-reads.test.ts)"],
  ["changePasswordAction", "the caller's own password, proved with the current one; no id in the input"],
  ["removeTotpAction", "the caller's own authenticator app; no id in the input"],
  ["regenerateRecoveryCodesAction", "the caller's own recovery codes; no id in the input"],
  ["startPasskeyRegistrationAction", "a challenge for the caller's own account; no id in the input (webauthn.test.ts)"],
  ["addPasskeyAction", "adds to the caller's own account, with a challenge issued to them (webauthn.test.ts)"],
  ["removePasskeyAction", "own passkeys only: another person's passkey id answers 404 (security-page-reads.test.ts)"],
  // Second factor and enrollment (app/account/actions.ts): the caller's own session, pending or not.
  ["verifySecondFactorAction", "checks the caller's own factors and rotates the caller's own session (mfa-totp.test.ts)"],
  ["verifyPasskeyAction", "the caller's own passkeys, against a challenge issued to them (webauthn.test.ts)"],
  ["startPasskeyAuthenticationAction", "a challenge for the caller's own passkeys; no id in the input (webauthn.test.ts)"],
  ["reauthenticateAction", "the caller's own password; no id in the input"],
  ["startTotpEnrollmentAction", "the caller's own authenticator app; no id in the input"],
  ["requestEmailChangeAction", "the caller's own email, after a fresh sign-in; no id in the input (email-change.test.ts)"],
  ["confirmEmailChangeAction", "public: acts only on the user the email-change link belongs to; covered by email-change.test.ts"],
  ["signInAction", "sign-in: no org yet; covered by e2e/personas.spec.ts and commands-audit.test.ts"],
  ["signOutAction", "ends the caller's own session only"],
  ["requestPasswordResetAction", "public: same answer for every email; covered by password-reset.test.ts"],
  ["completePasswordResetAction", "public: acts only on the user the reset link belongs to; covered by password-reset.test.ts"],
  ["acceptInvitationAction", "public: acts only on the membership the invitation link belongs to; an existing account only when signed in as it (member-consent.test.ts, invitations.test.ts)"],
  ["signOutForInvitationAction", "ends the caller's own session only, then sends them to sign in and back to the invitation"],
]);

function listActions(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(name)) {
        const text = readFileSync(full, "utf8");
        if (/^\s*["']use server["']/m.test(text)) for (const m of text.matchAll(/export\s+async\s+function\s+(\w+Action)\b/g)) out.push(m[1]!);
      }
    }
  };
  walk("app");
  return out.sort();
}

async function statusOf(run: Promise<unknown>): Promise<number> {
  try {
    await run;
    return 200;
  } catch (error) {
    if (error instanceof AppError) return httpStatusFor[error.code];
    throw error;
  }
}

describe("isolation table: every server action, through its command", () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  }, 120_000);

  it("every exported server action is in the table, or listed with a reason", () => {
    const covered = new Set([...table.map((c) => c.action), ...identityActions.keys(), ...coveredElsewhere.keys()]);
    expect(listActions().filter((a) => !covered.has(a))).toEqual([]);
  });

  for (const c of table) {
    for (const kind of ["wrongOrg", "wrongBranch", "tooLittle", "selfEscalation", "supplierOnly"] as const) {
      const build = c[kind];
      if (!build) continue;
      it(`${c.action}: ${kind} answers ${c.expect[kind]}`, async () => {
        const { principal, input } = build(world);
        expect(await statusOf(runCommand(c.command, principal, meta, input))).toBe(c.expect[kind]);
      });
    }
  }
});
