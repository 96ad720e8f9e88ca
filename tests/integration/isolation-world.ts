import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { grants, roles, ssoIdentities } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createRoleCommand } from "@/lib/roles/create-role";
import { setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { previewMemberImportCommand } from "@/lib/identity/import/preview-member-import";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { issueInvoiceCommand } from "@/lib/invoices/issue-invoice";
import { createDelegationCommand } from "@/lib/approvals/create-delegation";
import { createOrderCommand } from "@/lib/orders/create-order";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";
import { makeProduct, makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

/**
 * One tenant: North America → Chicago and Toronto, EMEA → Berlin, members at several scopes, an
 * order per city. The keeper manages branches in North America only (a custom role), and may
 * approve in Chicago: so the branch routes have a real wrong-branch case, and moving Toronto
 * under Chicago is a self-escalation.
 */
async function buildTenant(name: string) {
  const org = await makeOrg(name);
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const toronto = await makeBranch(org.operator, "Toronto", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const berlin = await makeBranch(org.operator, "Berlin", emea.id);
  await runCommand(createRoleCommand, org.operator, meta, { name: "Nothing", permissions: [] });
  await runCommand(createRoleCommand, org.operator, meta, { name: "Branch keeper", permissions: ["branches:manage", "orders:read"] });
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const berliner = await makeMember(org.operator, { roleName: "Viewer", branchId: berlin.id });
  const nobody = await makeMember(org.operator, { roleName: "Nothing" });
  const keeper = await makeMember(org.operator, { roleName: "Branch keeper", branchId: na.id });
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  // branches:manage over one region only, for the wrong-branch cases of branch-scoped writes.
  await runCommand(createRoleCommand, org.operator, meta, { name: "Site admin", permissions: ["branches:manage"] });
  const siteAdmin = await makeMember(org.operator, { roleName: "Site admin", branchId: na.id });
  const chicagoOrder = await makeOrder(org.operator, { branchId: chicago.id, buyerId: viewer.userId });
  const berlinOrder = await makeOrder(org.operator, { branchId: berlin.id, buyerId: berliner.userId });
  const roleId = async (n: string) => (await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, n)))))[0]!.id;
  const grantOf = async (membershipId: string) => (await asOperator((tx) => tx.select({ id: grants.id }).from(grants).where(eq(grants.membershipId, membershipId))))[0]!.id;
  await runCommand(addGrantCommand, org.operator, meta, { membershipId: keeper.membershipId, roleId: await roleId("Approver"), branchId: chicago.id });
  // The keeper's principal as their requests load it: with the Chicago grant.
  const keeperPrincipal = (await loadMemberPrincipal(getDb(), { type: "user", userId: keeper.userId, label: keeper.email }, org.slug))!;
  const token = async (p: { email: string }) => (await runCommand(createApiTokenCommand, org.operator, meta, { email: p.email })).token;
  // Each tenant is an account of the installation's supplier, with an address per city.
  await openAccount(org.id, { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }] });
  const address = async (branchId: string, city: string) => (await runCommand(addBranchAddressCommand, org.operator, meta, { branchId, label: `${city} dock`, lines: ["1 Main St"], city, country: "US" })).id;
  const addresses = { chicago: await address(chicago.id, "Chicago"), berlin: await address(berlin.id, "Berlin") };
  const ordering = await buildOrdering(org, { chicago: chicago.id, berlin: berlin.id, emea: emea.id }, { chicago: buyer.principal, berlin: (await makeMember(org.operator, { roleName: "Buyer", branchId: berlin.id })).principal }, roleId);
  // SSO: a connection (no IdP is contacted until someone signs in), an unverified domain claim
  // and a rule, for the /api/v1/sso/* rows and the SSO settings actions.
  const connection = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", name: `${name} IdP`, issuer: "https://idp.example.test", clientId: "client", clientSecret: "secret" });
  const ssoDomain = await runCommand(addDomainCommand, org.operator, meta, { connectionId: connection.id, domain: `${org.slug}.example.test` });
  const ssoMapping = await runCommand(addMappingCommand, org.operator, meta, { connectionId: connection.id, claim: "groups", value: "viewers", roleId: await roleId("Viewer"), branchId: chicago.id });
  // The buyer's identity at that connection (as if linked), for the unlink actions' rows.
  const [ssoIdentity] = await asOperator((tx) => tx.insert(ssoIdentities).values({ orgId: org.id, connectionId: connection.id, subject: `sub-${org.slug}`, userId: buyer.userId }).returning({ id: ssoIdentities.id }));
  return {
    org,
    sso: { connection: connection.id, domain: ssoDomain.id, mapping: ssoMapping.id, identity: ssoIdentity!.id },
    branches: { na, chicago, toronto, emea, berlin },
    members: { admin, manager, viewer, berliner, nobody, buyer, siteAdmin, keeper: { ...keeper, principal: keeperPrincipal } },
    // A members CSV import waiting to be applied, for the import action's wrong-org case.
    memberImport: (await runCommand(previewMemberImportCommand, org.operator, meta, { fileName: "people.csv", content: new Uint8Array(Buffer.from(`email\n${name.toLowerCase().replace(/\W+/g, "-")}-import@example.test`)) })).id,
    addresses,
    ordering,
    orders: { chicago: chicagoOrder, berlin: berlinOrder },
    roles: { viewer: await roleId("Viewer"), buyer: await roleId("Buyer"), admin: await roleId("Admin"), nothing: await roleId("Nothing") },
    grants: { berliner: await grantOf(berliner.membershipId), manager: await grantOf(manager.membershipId), viewer: await grantOf(viewer.membershipId) },
    tokens: { admin: await token(admin), manager: await token(manager), viewer: await token(viewer), nobody: await token(nobody), buyer: await token(buyer), siteAdmin: await token(siteAdmin), keeper: await token(keeper) },
  };
}

/**
 * Ordering in a tenant: a product, a rule at the root (every order needs an Approver, Manager or
 * Admin) and one at EMEA, and per city a draft and an order waiting for approval.
 */
async function buildOrdering(org: { operator: Principal }, b: { chicago: string; berlin: string; emea: string }, buyers: { chicago: Principal; berlin: Principal }, roleId: (n: string) => Promise<string>) {
  const product = await makeProduct({ prices: { USD: 1000, EUR: 900 } });
  const approvers = [await roleId("Approver"), await roleId("Manager"), await roleId("Admin")];
  const rules = {
    root: (await runCommand(createApprovalRuleCommand, org.operator, meta, { name: "Every order", branchId: null, tiers: [[approvers]] })).id,
    emea: (await runCommand(createApprovalRuleCommand, org.operator, meta, { name: "EMEA over 1,000", branchId: b.emea, overTotalMinor: 100_000, tiers: [[approvers]] })).id,
  };
  const draft = (city: "chicago" | "berlin") => runCommand(draftOrderCommand, buyers[city], meta, { branchId: b[city], lines: [{ sku: product.sku, quantity: 2 }] });
  const waiting = async (city: "chicago" | "berlin") => {
    const order = await draft(city);
    await runCommand(submitOrderCommand, buyers[city], meta, { orderId: order.id });
    return order.id;
  };
  return { sku: product.sku, rules, drafts: { chicago: (await draft("chicago")).id, berlin: (await draft("berlin")).id }, waiting: { chicago: await waiting("chicago"), berlin: await waiting("berlin") } };
}

/**
 * The installation's supplier: staff at each of its roles (and one with none of the supplier
 * permissions), a product, and tenant B's own price for it, an amount no one else may see.
 */
async function buildSupplier(b: Tenant) {
  const org = await makeSupplier();
  await runCommand(createRoleCommand, org.operator, meta, { name: "Nothing", permissions: [] });
  const staff = { viewer: await makeSupplierStaff("Viewer"), catalog: await makeSupplierStaff("Catalog manager"), accounts: await makeSupplierStaff("Account manager"), nothing: await makeSupplierStaff("Nothing") };
  const token = async (p: { email: string }) => (await runCommand(createApiTokenCommand, org.operator, meta, { email: p.email })).token;
  const product = await makeProduct({ prices: { USD: 1000, EUR: 900 } });
  const secretPrice = 123_457;
  await runCommand(setAccountPriceCommand, org.operator, meta, { productId: product.id, accountId: b.org.id, currency: "USD", unitPriceMinor: secretPrice });
  const notAnAccount = await makeOrg("Not an account");
  return {
    org,
    staff,
    product,
    secretPrice,
    notAnAccount,
    tokens: { viewer: await token(staff.viewer), catalog: await token(staff.catalog), accounts: await token(staff.accounts), nothing: await token(staff.nothing) },
  };
}

/**
 * Invoices, issued by the supplier on placed orders: one per city, and one on an order the
 * keeper (an Approver at Chicago) bought, for the self-approval case; and a placed order of an
 * org that is not an account, which the supplier may not invoice.
 */
async function buildInvoices(t: Tenant) {
  const supplier = await makeSupplier();
  const placed = (branchId: string, buyerId: string) => runCommand(createOrderCommand, t.org.operator, meta, { branchId, buyerId, currency: "USD", status: "approved", lines: [{ sku: "SKU-1", description: "Widget", quantity: 1, unitPriceMinor: 1000 }] });
  const invoice = async (branchId: string, buyerId: string) => (await runCommand(issueInvoiceCommand, supplier.operator, meta, { orderId: (await placed(branchId, buyerId)).id })).id;
  return {
    chicago: await invoice(t.branches.chicago.id, t.members.viewer.userId),
    berlin: await invoice(t.branches.berlin.id, t.members.berliner.userId),
    keepersOwn: await invoice(t.branches.chicago.id, t.members.keeper.userId),
  };
}

async function buildForeignOrder() {
  const org = await makeOrg("Unbilled Co");
  const branch = await makeBranch(org.operator, "HQ");
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
  return runCommand(createOrderCommand, org.operator, meta, { branchId: branch.id, buyerId: buyer.userId, currency: "USD", status: "approved", lines: [{ sku: "SKU-1", description: "Widget", quantity: 1, unitPriceMinor: 1000 }] });
}

export type Tenant = Awaited<ReturnType<typeof buildTenant>>;
export interface World {
  a: Tenant;
  b: Tenant;
  supplier: Awaited<ReturnType<typeof buildSupplier>>;
  invoices: { a: Awaited<ReturnType<typeof buildInvoices>>; b: Awaited<ReturnType<typeof buildInvoices>>; notAnAccountsOrder: string; aPlacedOrder: string };
  /** Per tenant, the North America manager's delegation to the admin (who approves at the root). */
  delegations: { a: string; b: string };
}

async function buildDelegation(t: Tenant) {
  const endsAt = new Date(Date.now() + 7 * 86_400_000);
  return (await runCommand(createDelegationCommand, t.members.manager.principal, meta, { delegateMembershipId: t.members.admin.membershipId, endsAt })).id;
}

export async function buildWorld(): Promise<World> {
  await makeSupplier();
  const a = await buildTenant("Tenant A");
  const b = await buildTenant("Tenant B");
  const aPlaced = await runCommand(createOrderCommand, a.org.operator, meta, { branchId: a.branches.chicago.id, buyerId: a.members.viewer.userId, currency: "USD", status: "approved", lines: [{ sku: "SKU-1", description: "Widget", quantity: 1, unitPriceMinor: 1000 }] });
  return { a, b, supplier: await buildSupplier(b), invoices: { a: await buildInvoices(a), b: await buildInvoices(b), notAnAccountsOrder: (await buildForeignOrder()).id, aPlacedOrder: aPlaced.id }, delegations: { a: await buildDelegation(a), b: await buildDelegation(b) } };
}

/** Calls a route handler the way Next.js does: a Request, and params as a promise. */
export async function callRoute(
  handler: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>,
  token: string,
  method: string,
  path: string,
  { params = {}, body }: { params?: Record<string, string>; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return handler(request, { params: Promise.resolve(params) });
}

export type { Principal };
