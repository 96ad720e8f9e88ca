import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as explainRoute from "@/app/api/v1/access/explain/route";
import * as auditEvents from "@/app/api/v1/audit/events/route";
import * as auditExport from "@/app/api/v1/audit/export/route";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import * as branchItem from "@/app/api/v1/branches/[id]/route";
import * as branchList from "@/app/api/v1/branches/route";
import * as grantItem from "@/app/api/v1/grants/[id]/route";
import * as grantList from "@/app/api/v1/grants/route";
import * as memberItem from "@/app/api/v1/members/[id]/route";
import * as memberList from "@/app/api/v1/members/route";
import * as memberSessions from "@/app/api/v1/members/[id]/sessions/revoke/route";
import * as orderItem from "@/app/api/v1/orders/[id]/route";
import * as orderList from "@/app/api/v1/orders/route";
import * as roleItem from "@/app/api/v1/roles/[id]/route";
import * as roleList from "@/app/api/v1/roles/route";
import * as accountItem from "@/app/api/v1/accounts/[id]/route";
import * as accountList from "@/app/api/v1/accounts/route";
import * as addressItem from "@/app/api/v1/branches/[id]/addresses/[addressId]/route";
import * as addressList from "@/app/api/v1/branches/[id]/addresses/route";
import * as accountPrices from "@/app/api/v1/catalog/products/[id]/account-prices/route";
import * as productItem from "@/app/api/v1/catalog/products/[id]/route";
import * as productList from "@/app/api/v1/catalog/products/route";
import { scimRoutesCoveredElsewhere } from "./isolation-scim-cases";
import { buildWorld, callRoute, type World } from "./isolation-world";
import { orderingRouteCases } from "./isolation-ordering-cases";
import { ssoRouteCases } from "./isolation-sso-cases";
import { invoiceRouteCases } from "./isolation-invoice-cases";
import { delegationRouteCases } from "./isolation-delegation-cases";
import { answer, h, type RouteCase } from "./isolation-route-case";

/**
 * The isolation table: every tenant-facing route, each with its "wrong org" (for the supplier's
 * routes: "wrong account"), "wrong branch", "too little permission", (where it can apply)
 * "self-escalation" and, for supplier-only routes, "called by a customer" case. Documented
 * answers: another org's or an invisible branch's target is 404, exactly like a missing one; an
 * id that is not one of the supplier's accounts is 404; a visible target the caller may not
 * change is 403; a supplier-only route called by a customer's token is 403 ("Only the supplier's
 * staff can do that."); a list simply never contains what is out of scope.
 * A route file that is not in this table fails the completeness test below.
 */
/** For lists: 200, and none of the foreign ids anywhere in the answer. */
const listExcludes = (res: { status: number; body?: unknown }, ...ids: string[]) => ({ status: res.status === 200 && !ids.some((id) => JSON.stringify(res.body).includes(id)) ? 200 : 599 });

const table: RouteCase[] = [
  {
    file: "app/api/v1/orders/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(orderList.GET), w.a.tokens.admin, "GET", "/api/v1/orders?limit=200")), w.b.orders.chicago.id, w.b.orders.berlin.id),
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(orderList.GET), w.a.tokens.viewer, "GET", "/api/v1/orders?limit=200")), w.a.orders.berlin.id),
    tooLittle: async (w) => listExcludes(await answer(await callRoute(h(orderList.GET), w.a.tokens.nobody, "GET", "/api/v1/orders")), w.a.orders.chicago.id, w.a.orders.berlin.id),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 200 },
  },
  {
    file: "app/api/v1/orders/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(orderItem.GET), w.a.tokens.admin, "GET", "/api/v1/orders/x", { params: { id: w.b.orders.chicago.id } })),
    wrongBranch: async (w) => answer(await callRoute(h(orderItem.GET), w.a.tokens.viewer, "GET", "/api/v1/orders/x", { params: { id: w.a.orders.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(orderItem.GET), w.a.tokens.nobody, "GET", "/api/v1/orders/x", { params: { id: w.a.orders.chicago.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
  {
    file: "app/api/v1/branches/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(branchList.POST), w.a.tokens.admin, "POST", "/api/v1/branches", { body: { name: "Smuggled", parentId: w.b.branches.na.id } })),
    // The keeper manages branches in North America only: EMEA is invisible to them.
    wrongBranch: async (w) => answer(await callRoute(h(branchList.POST), w.a.tokens.keeper, "POST", "/api/v1/branches", { body: { name: "Smuggled", parentId: w.a.branches.emea.id } })),
    tooLittle: async (w) => answer(await callRoute(h(branchList.POST), w.a.tokens.manager, "POST", "/api/v1/branches", { body: { name: "Nope", parentId: w.a.branches.na.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/branches/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/branches/x", { params: { id: w.b.branches.chicago.id }, body: { name: "Taken" } })),
    wrongBranch: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.keeper, "PATCH", "/api/v1/branches/x", { params: { id: w.a.branches.berlin.id }, body: { name: "Renamed" } })),
    tooLittle: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.manager, "PATCH", "/api/v1/branches/x", { params: { id: w.a.branches.chicago.id }, body: { name: "Renamed" } })),
    // Toronto under Chicago would put it under the keeper's Approver grant there.
    selfEscalation: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.keeper, "PATCH", "/api/v1/branches/x", { params: { id: w.a.branches.toronto.id }, body: { parentId: w.a.branches.chicago.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/roles/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(roleList.POST), w.a.tokens.admin, "POST", "/api/v1/roles", { body: { name: "Borrowed", inherits: [w.b.roles.admin] } })),
    wrongBranch: "n/a", // roles belong to the whole org
    tooLittle: async (w) => answer(await callRoute(h(roleList.POST), w.a.tokens.manager, "POST", "/api/v1/roles", { body: { name: "Mine" } })),
    expect: { wrongOrg: 422, tooLittle: 403 },
  },
  {
    file: "app/api/v1/roles/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(roleItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/roles/x", { params: { id: w.b.roles.viewer }, body: { name: "Hijacked", permissions: [] } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(roleItem.PATCH), w.a.tokens.manager, "PATCH", "/api/v1/roles/x", { params: { id: w.a.roles.viewer }, body: { name: "Viewer", permissions: ["audit:read"] } })),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/roles/[id]/route.ts",
    method: "DELETE",
    wrongOrg: async (w) => answer(await callRoute(h(roleItem.DELETE), w.a.tokens.admin, "DELETE", "/api/v1/roles/x?grants=revoke", { params: { id: w.b.roles.nothing } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(roleItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/roles/x?grants=revoke", { params: { id: w.a.roles.nothing } })),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/grants/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.admin, "POST", "/api/v1/grants", { body: { membershipId: w.b.members.viewer.membershipId, roleId: w.a.roles.viewer } })),
    wrongBranch: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.manager, "POST", "/api/v1/grants", { body: { membershipId: w.a.members.viewer.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.viewer, "POST", "/api/v1/grants", { body: { membershipId: w.a.members.nobody.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.chicago.id } })),
    selfEscalation: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.manager, "POST", "/api/v1/grants", { body: { membershipId: w.a.members.manager.membershipId, roleId: w.a.roles.buyer, branchId: w.a.branches.na.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/grants/[id]/route.ts",
    method: "DELETE",
    wrongOrg: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.admin, "DELETE", "/api/v1/grants/x", { params: { id: w.b.grants.viewer } })),
    wrongBranch: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/grants/x", { params: { id: w.a.grants.berliner } })),
    tooLittle: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.viewer, "DELETE", "/api/v1/grants/x", { params: { id: w.a.grants.viewer } })),
    selfEscalation: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/grants/x", { params: { id: w.a.grants.manager } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  // Members: another org's member is 404; one the caller cannot see at any of their branches too;
  // a visible one they may not manage at every branch of theirs is 403; never oneself.
  {
    file: "app/api/v1/members/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(memberList.GET), w.a.tokens.admin, "GET", "/api/v1/members?limit=200")), w.b.members.viewer.membershipId, w.b.members.admin.membershipId),
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(memberList.GET), w.a.tokens.manager, "GET", "/api/v1/members?limit=200")), w.a.members.berliner.membershipId),
    tooLittle: async (w) => answer(await callRoute(h(memberList.GET), w.a.tokens.viewer, "GET", "/api/v1/members")),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 403 },
  },
  {
    file: "app/api/v1/members/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(memberList.POST), w.a.tokens.admin, "POST", "/api/v1/members", { body: { email: `smuggled-${Date.now()}@example.test`, roleName: "Viewer", branchId: w.b.branches.chicago.id } })),
    wrongBranch: async (w) => answer(await callRoute(h(memberList.POST), w.a.tokens.manager, "POST", "/api/v1/members", { body: { email: `berlin-${Date.now()}@example.test`, roleName: "Viewer", branchId: w.a.branches.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(memberList.POST), w.a.tokens.viewer, "POST", "/api/v1/members", { body: { email: `nope-${Date.now()}@example.test`, roleName: "Viewer", branchId: w.a.branches.chicago.id } })),
    // A manager inviting someone as Admin would hand out more than they hold.
    selfEscalation: async (w) => answer(await callRoute(h(memberList.POST), w.a.tokens.manager, "POST", "/api/v1/members", { body: { email: `boss-${Date.now()}@example.test`, roleName: "Admin", branchId: w.a.branches.na.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/members/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(memberItem.GET), w.a.tokens.admin, "GET", "/api/v1/members/x", { params: { id: w.b.members.viewer.membershipId } })),
    wrongBranch: async (w) => answer(await callRoute(h(memberItem.GET), w.a.tokens.manager, "GET", "/api/v1/members/x", { params: { id: w.a.members.berliner.membershipId } })),
    tooLittle: async (w) => answer(await callRoute(h(memberItem.GET), w.a.tokens.viewer, "GET", "/api/v1/members/x", { params: { id: w.a.members.buyer.membershipId } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
  {
    file: "app/api/v1/members/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(memberItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/members/x", { params: { id: w.b.members.viewer.membershipId }, body: { status: "deactivated" } })),
    wrongBranch: async (w) => answer(await callRoute(h(memberItem.PATCH), w.a.tokens.manager, "PATCH", "/api/v1/members/x", { params: { id: w.a.members.berliner.membershipId }, body: { status: "deactivated" } })),
    // The keeper sees the buyer's Chicago branch but holds no users:manage there.
    tooLittle: async (w) => answer(await callRoute(h(memberItem.PATCH), w.a.tokens.keeper, "PATCH", "/api/v1/members/x", { params: { id: w.a.members.buyer.membershipId }, body: { status: "deactivated" } })),
    selfEscalation: async (w) => answer(await callRoute(h(memberItem.PATCH), w.a.tokens.manager, "PATCH", "/api/v1/members/x", { params: { id: w.a.members.manager.membershipId }, body: { grants: [{ roleId: w.a.roles.admin, branchId: null }] } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/members/[id]/route.ts",
    method: "DELETE",
    wrongOrg: async (w) => answer(await callRoute(h(memberItem.DELETE), w.a.tokens.admin, "DELETE", "/api/v1/members/x", { params: { id: w.b.members.viewer.membershipId } })),
    wrongBranch: async (w) => answer(await callRoute(h(memberItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/members/x", { params: { id: w.a.members.berliner.membershipId } })),
    tooLittle: async (w) => answer(await callRoute(h(memberItem.DELETE), w.a.tokens.keeper, "DELETE", "/api/v1/members/x", { params: { id: w.a.members.buyer.membershipId } })),
    selfEscalation: async (w) => answer(await callRoute(h(memberItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/members/x", { params: { id: w.a.members.manager.membershipId } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/members/[id]/sessions/revoke/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(memberSessions.POST), w.a.tokens.admin, "POST", "/api/v1/members/x/sessions/revoke", { params: { id: w.b.members.viewer.membershipId } })),
    wrongBranch: async (w) => answer(await callRoute(h(memberSessions.POST), w.a.tokens.manager, "POST", "/api/v1/members/x/sessions/revoke", { params: { id: w.a.members.berliner.membershipId } })),
    tooLittle: async (w) => answer(await callRoute(h(memberSessions.POST), w.a.tokens.keeper, "POST", "/api/v1/members/x/sessions/revoke", { params: { id: w.a.members.buyer.membershipId } })),
    // Signing oneself out "everywhere" by way of the org would reach beyond it: refused.
    selfEscalation: async (w) => answer(await callRoute(h(memberSessions.POST), w.a.tokens.manager, "POST", "/api/v1/members/x/sessions/revoke", { params: { id: w.a.members.viewer.membershipId }, body: { scope: "everywhere" } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/access/explain/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(explainRoute.POST), w.a.tokens.admin, "POST", "/api/v1/access/explain", { body: { membershipId: w.b.members.viewer.membershipId, permission: "orders:read" } })),
    wrongBranch: async (w) => answer(await callRoute(h(explainRoute.POST), w.a.tokens.manager, "POST", "/api/v1/access/explain", { body: { membershipId: w.a.members.berliner.membershipId, permission: "orders:read", branchId: w.a.branches.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(explainRoute.POST), w.a.tokens.viewer, "POST", "/api/v1/access/explain", { body: { membershipId: w.a.members.manager.membershipId, permission: "orders:read" } })),
    // A member the caller may not read is not revealed: 404, whatever the reason.
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
  {
    file: "app/api/v1/audit/events/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(auditEvents.GET), w.a.tokens.admin, "GET", `/api/v1/audit/events?limit=200`)), w.b.org.id, w.b.orders.chicago.id),
    wrongBranch: "n/a", // audit:read is org-wide in the templates; branch-scoped readers are covered in audit-read-scope.test.ts
    tooLittle: async (w) => answer(await callRoute(h(auditEvents.GET), w.a.tokens.manager, "GET", "/api/v1/audit/events")),
    expect: { wrongOrg: 200, tooLittle: 403 },
  },
  {
    file: "app/api/v1/audit/verify/route.ts",
    method: "GET",
    wrongOrg: "n/a", // verifies the token's own org; there is no org parameter to point elsewhere
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(auditVerify.GET), w.a.tokens.manager, "GET", "/api/v1/audit/verify")),
    expect: { tooLittle: 403 },
  },
  {
    file: "app/api/v1/audit/export/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(auditExport.GET), w.a.tokens.admin, "GET", "/api/v1/audit/export?format=jsonl")), w.b.org.id, w.b.orders.chicago.id),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(auditExport.GET), w.a.tokens.viewer, "GET", "/api/v1/audit/export?format=csv")),
    expect: { wrongOrg: 200, tooLittle: 403 },
  },
  // The supplier's catalog: shared by every account, priced per account.
  {
    file: "app/api/v1/catalog/products/route.ts",
    method: "GET",
    // Wrong account: tenant A's member never sees tenant B's own price, only the list price.
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(productList.GET), w.a.tokens.admin, "GET", "/api/v1/catalog/products?limit=200")), String(w.supplier.secretPrice)),
    wrongBranch: "n/a", // the catalog is the same for every branch of an account
    tooLittle: async (w) => answer(await callRoute(h(productList.GET), w.a.tokens.nobody, "GET", "/api/v1/catalog/products")),
    expect: { wrongOrg: 200, tooLittle: 403 },
  },
  {
    file: "app/api/v1/catalog/products/route.ts",
    method: "POST",
    wrongOrg: "n/a", // there is one catalog, the supplier's; customers are the supplierOnly case
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(productList.POST), w.supplier.tokens.viewer, "POST", "/api/v1/catalog/products", { body: { sku: "VIEWER-1", name: "Nope" } })),
    supplierOnly: async (w) => answer(await callRoute(h(productList.POST), w.a.tokens.admin, "POST", "/api/v1/catalog/products", { body: { sku: "CUSTOMER-1", name: "Nope" } })),
    expect: { tooLittle: 403, supplierOnly: 403 },
  },
  {
    file: "app/api/v1/catalog/products/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(productItem.GET), w.a.tokens.admin, "GET", "/api/v1/catalog/products/x", { params: { id: w.supplier.product.id } })), String(w.supplier.secretPrice)),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(productItem.GET), w.a.tokens.nobody, "GET", "/api/v1/catalog/products/x", { params: { id: w.supplier.product.id } })),
    expect: { wrongOrg: 200, tooLittle: 403 },
  },
  ...(["PATCH", "DELETE"] as const).map(
    (method): RouteCase => ({
      file: "app/api/v1/catalog/products/[id]/route.ts",
      method,
      wrongOrg: "n/a",
      wrongBranch: "n/a",
      tooLittle: async (w) => answer(await callRoute(h(productItem[method]), w.supplier.tokens.accounts, method, "/api/v1/catalog/products/x", { params: { id: w.supplier.product.id }, body: method === "PATCH" ? { name: "Renamed" } : undefined })),
      supplierOnly: async (w) => answer(await callRoute(h(productItem[method]), w.a.tokens.admin, method, "/api/v1/catalog/products/x", { params: { id: w.supplier.product.id }, body: method === "PATCH" ? { name: "Renamed" } : undefined })),
      expect: { tooLittle: 403, supplierOnly: 403 },
    }),
  ),
  {
    file: "app/api/v1/catalog/products/[id]/account-prices/route.ts",
    method: "PUT",
    wrongOrg: async (w) => answer(await callRoute(h(accountPrices.PUT), w.supplier.tokens.accounts, "PUT", "/api/v1/catalog/products/x/account-prices", { params: { id: w.supplier.product.id }, body: { accountId: w.supplier.notAnAccount.id, currency: "USD", unitPriceMinor: 1 } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(accountPrices.PUT), w.supplier.tokens.catalog, "PUT", "/api/v1/catalog/products/x/account-prices", { params: { id: w.supplier.product.id }, body: { accountId: w.a.org.id, currency: "USD", unitPriceMinor: 1 } })),
    // A customer setting its own price.
    supplierOnly: async (w) => answer(await callRoute(h(accountPrices.PUT), w.a.tokens.admin, "PUT", "/api/v1/catalog/products/x/account-prices", { params: { id: w.supplier.product.id }, body: { accountId: w.a.org.id, currency: "USD", unitPriceMinor: 1 } })),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  {
    file: "app/api/v1/catalog/products/[id]/account-prices/route.ts",
    method: "DELETE",
    wrongOrg: async (w) => answer(await callRoute(h(accountPrices.DELETE), w.supplier.tokens.accounts, "DELETE", `/api/v1/catalog/products/x/account-prices?accountId=${w.supplier.notAnAccount.id}&currency=USD`, { params: { id: w.supplier.product.id } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(accountPrices.DELETE), w.supplier.tokens.catalog, "DELETE", `/api/v1/catalog/products/x/account-prices?accountId=${w.b.org.id}&currency=USD`, { params: { id: w.supplier.product.id } })),
    supplierOnly: async (w) => answer(await callRoute(h(accountPrices.DELETE), w.b.tokens.admin, "DELETE", `/api/v1/catalog/products/x/account-prices?accountId=${w.b.org.id}&currency=USD`, { params: { id: w.supplier.product.id } })),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  // The supplier's accounts: supplier staff only.
  {
    file: "app/api/v1/accounts/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(accountList.GET), w.supplier.tokens.viewer, "GET", "/api/v1/accounts?limit=100")), w.supplier.notAnAccount.id, w.supplier.org.id),
    wrongBranch: "n/a", // supplier permissions count at the supplier's root only
    tooLittle: async (w) => answer(await callRoute(h(accountList.GET), w.supplier.tokens.nothing, "GET", "/api/v1/accounts")),
    supplierOnly: async (w) => answer(await callRoute(h(accountList.GET), w.a.tokens.admin, "GET", "/api/v1/accounts")),
    expect: { wrongOrg: 200, tooLittle: 403, supplierOnly: 403 },
  },
  {
    file: "app/api/v1/accounts/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(accountList.POST), w.supplier.tokens.accounts, "POST", "/api/v1/accounts", { body: { orgId: w.supplier.org.id, baseCurrency: "USD" } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(accountList.POST), w.supplier.tokens.viewer, "POST", "/api/v1/accounts", { body: { orgId: w.supplier.notAnAccount.id, baseCurrency: "USD" } })),
    supplierOnly: async (w) => answer(await callRoute(h(accountList.POST), w.a.tokens.admin, "POST", "/api/v1/accounts", { body: { orgId: w.supplier.notAnAccount.id, baseCurrency: "USD" } })),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  {
    file: "app/api/v1/accounts/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(accountItem.GET), w.supplier.tokens.viewer, "GET", "/api/v1/accounts/x", { params: { id: w.supplier.notAnAccount.id } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(accountItem.GET), w.supplier.tokens.nothing, "GET", "/api/v1/accounts/x", { params: { id: w.a.org.id } })),
    // A customer reading another customer's standing, and its own.
    supplierOnly: async (w) => answer(await callRoute(h(accountItem.GET), w.a.tokens.admin, "GET", "/api/v1/accounts/x", { params: { id: w.b.org.id } })),
    selfEscalation: async (w) => answer(await callRoute(h(accountItem.GET), w.a.tokens.admin, "GET", "/api/v1/accounts/x", { params: { id: w.a.org.id } })),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/accounts/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(accountItem.PATCH), w.supplier.tokens.accounts, "PATCH", "/api/v1/accounts/x", { params: { id: w.supplier.notAnAccount.id }, body: { tier: "Gold" } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(accountItem.PATCH), w.supplier.tokens.catalog, "PATCH", "/api/v1/accounts/x", { params: { id: w.a.org.id }, body: { tier: "Gold" } })),
    supplierOnly: async (w) => answer(await callRoute(h(accountItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/accounts/x", { params: { id: w.b.org.id }, body: { tier: "Bronze" } })),
    // A customer raising its own credit limit.
    selfEscalation: async (w) => answer(await callRoute(h(accountItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/accounts/x", { params: { id: w.a.org.id }, body: { creditLimitMinor: 999_999_999 } })),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403, selfEscalation: 403 },
  },
  // Branch addresses: read with orders:create (or branches:manage) at the branch, written with branches:manage.
  {
    file: "app/api/v1/branches/[id]/addresses/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(addressList.GET), w.a.tokens.admin, "GET", "/api/v1/branches/x/addresses", { params: { id: w.b.branches.chicago.id } })),
    wrongBranch: async (w) => answer(await callRoute(h(addressList.GET), w.a.tokens.buyer, "GET", "/api/v1/branches/x/addresses", { params: { id: w.a.branches.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(addressList.GET), w.a.tokens.viewer, "GET", "/api/v1/branches/x/addresses", { params: { id: w.a.branches.chicago.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
  {
    file: "app/api/v1/branches/[id]/addresses/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(addressList.POST), w.a.tokens.admin, "POST", "/api/v1/branches/x/addresses", { params: { id: w.b.branches.chicago.id }, body: { label: "X", lines: ["1"], city: "C", country: "US" } })),
    wrongBranch: async (w) => answer(await callRoute(h(addressList.POST), w.a.tokens.siteAdmin, "POST", "/api/v1/branches/x/addresses", { params: { id: w.a.branches.berlin.id }, body: { label: "X", lines: ["1"], city: "C", country: "US" } })),
    tooLittle: async (w) => answer(await callRoute(h(addressList.POST), w.a.tokens.manager, "POST", "/api/v1/branches/x/addresses", { params: { id: w.a.branches.chicago.id }, body: { label: "X", lines: ["1"], city: "C", country: "US" } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  ...(["PATCH", "DELETE"] as const).map(
    (method): RouteCase => ({
      file: "app/api/v1/branches/[id]/addresses/[addressId]/route.ts",
      method,
      // A's own branch in the path, B's address id: not found, however it is paired.
      wrongOrg: async (w) => answer(await callRoute(h(addressItem[method]), w.a.tokens.admin, method, "/api/v1/branches/x/addresses/y", { params: { id: w.a.branches.chicago.id, addressId: w.b.addresses.chicago }, body: method === "PATCH" ? { label: "Mine" } : undefined })),
      wrongBranch: async (w) => answer(await callRoute(h(addressItem[method]), w.a.tokens.siteAdmin, method, "/api/v1/branches/x/addresses/y", { params: { id: w.a.branches.berlin.id, addressId: w.a.addresses.berlin }, body: method === "PATCH" ? { label: "Mine" } : undefined })),
      tooLittle: async (w) => answer(await callRoute(h(addressItem[method]), w.a.tokens.manager, method, "/api/v1/branches/x/addresses/y", { params: { id: w.a.branches.chicago.id, addressId: w.a.addresses.chicago }, body: method === "PATCH" ? { label: "Mine" } : undefined })),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
    }),
  ),
  // Drafts, their actions, approvals, approval rules and the dry run.
  ...orderingRouteCases,
  // SSO settings: connections, domains, rules and the dry run.
  ...ssoRouteCases,
  // Invoices: issued by the supplier, read and decided by the account.
  ...invoiceRouteCases,
  // Approval delegates: the delegator's and the delegate's own.
  ...delegationRouteCases,
];

// Routes with no tenant data behind them, or covered by another suite: each with the reason.
const coveredElsewhere = new Map([
  ["app/api/health/route.ts GET", "database status and version only"],
  ["app/api/v1/openapi.json/route.ts GET", "the API description"],
  ["app/api/v1/audit/public-key/route.ts GET", "a public key, published on purpose"],
  ["app/api/auth/[...nextauth]/route.ts GET", "next-auth's own endpoints (CSRF, session, sign-in)"],
  ["app/api/auth/[...nextauth]/route.ts POST", "next-auth's own endpoints (CSRF, session, sign-in)"],
  // Session-cookie routes cannot be called without Next's request context; the browser tests
  // cover them, and they share their checks with the API route above.
  ["app/orgs/[org]/audit/export/route.ts GET", "dashboard export: e2e/audit.spec.ts (buyer gets 403); same requireAuditReader + streamAuditExport as /api/v1/audit/export"],
  ["app/orgs/[org]/orders/export/route.ts GET", "dashboard CSV download (session cookie): streamOrderExport, whose scope (wrong org, wrong branch, own orders only, no read permission) and escaping are tests/integration/order-export.test.ts"],
  ["app/orgs/[org]/account-orders/export/route.ts GET", "dashboard CSV download (session cookie): streamOrderExport in the supplier scope; a customer's member and staff without orders:read are refused in tests/integration/order-export.test.ts"],
  ["app/orgs/[org]/catalog/import/upload/route.ts POST", "dashboard CSV upload (session cookie, same-origin checked): e2e/catalog.spec.ts; it runs catalog.import.previewed, whose supplier-only and too-little-permission cases are tests/integration/catalog-import.test.ts"],
  ["app/orgs/[org]/users/import/upload/route.ts POST", "dashboard members CSV upload (session cookie, same-origin checked), the catalog upload's pattern; it runs member.import.previewed, whose org isolation is tests/integration/member-import.test.ts"],
  ["app/orgs/[org]/intake/messages/[id]/raw/route.ts GET", "dashboard raw payload download (session cookie) for the Intake page: readRawMessage, the same checks as /api/v1/intake/messages/{id}/raw (tests/integration/intake-accept.test.ts: another org's admin 404, no intake:manage 403), each refusal answered 404; e2e/intake.spec.ts downloads one, and gets 404 signed out, as a supplier Viewer without intake:manage, as a customer admin through either org, and for malformed ids"],
  ["app/orgs/[org]/users/import/[id]/report/route.ts GET", "dashboard result report (session cookie): getMemberImport answers another org's import, or a reader without users:manage, as not found (tests/integration/member-import.test.ts)"],
  // SSO's anonymous sign-in steps: no org is acted in yet; the commands behind them are tested
  // against real IdPs, including every refusal.
  ["app/sso/start/route.ts GET", "anonymous home-realm discovery (auth.sso.started): tests/integration/sso-oidc.test.ts, only enabled connections and verified domains route"],
  ["app/sso/[org]/route.ts GET", "a redirect to /sso/start?org=…, no data"],
  ["app/sso/oidc/callback/route.ts GET", "the anonymous OIDC callback (auth.sso.succeeded): tests/integration/sso-oidc.test.ts and sso-oidc-refusals.test.ts"],
  ["app/sso/saml/[connectionId]/acs/route.ts POST", "the anonymous SAML ACS (auth.sso.saml.succeeded): tests/integration/sso-saml.test.ts and sso-saml-refusals.test.ts; a connection id of another protocol, or none, is refused as connection-unknown"],
  ["app/sso/link/complete/route.ts GET", "a person confirming their own account link (session cookie), as their membership of the org named in the URL: another person's flow, or another org's, reads as missing (tests/integration/sso-link.test.ts, account.sso_identity.linked)"],
  ["app/sso/saml/[connectionId]/metadata/route.ts GET", "a SAML connection's SP metadata, published on purpose (entity id, ACS URL, nothing secret): tests/integration/sso-saml.test.ts"],
  // Order intake (issue 14): the POST is a channel's, not a member's, so the member table does not fit it.
  ["app/api/v1/intake/channels/[id]/messages/route.ts POST", "a channel's partner with the channel's own credential (no member token): tests/integration/intake-accept.test.ts (another channel's token, a wrong or missing token, a wrong or missing Shopify HMAC are 401; a disabled or unknown channel 404)"],
  ["app/api/v1/intake/messages/[id]/route.ts GET", "tests/integration/intake-accept.test.ts: another org's admin gets 404, a supplier Viewer reads the exact shape"],
  ["app/api/v1/intake/dead-letters/route.ts GET", "tests/integration/intake-dead-letters.test.ts: a supplier Viewer (no intake:manage), another org's admin and a customer's admin are refused (403/404)"],
  ["app/api/v1/intake/dead-letters/[id]/replay/route.ts POST", "tests/integration/intake-dead-letters.test.ts: a supplier Viewer, another org's admin and a customer's admin are refused and the letter stays open; a malformed id is 404"],
  ["app/api/v1/intake/dead-letters/[id]/discard/route.ts POST", "tests/integration/intake-dead-letters.test.ts: the same three refusals; a missing or NUL reason is 422"],
  ["app/api/v1/intake/messages/[id]/raw/route.ts GET", "tests/integration/intake-accept.test.ts: another org's admin gets 404, a supplier member without intake:manage 403"],
  ["app/account/security/enroll/confirm/route.ts POST", "the person's own account, no org: e2e/secure-sign-in.spec.ts (enrollment; a forged cross-origin POST gets 403); the command is tests/integration/mfa-totp.test.ts"],
  ...scimRoutesCoveredElsewhere,
]);

function listRouteMethods(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const text = readFileSync(full, "utf8");
        for (const m of text.matchAll(/export\s+(?:const|async\s+function)\s+(GET|POST|PUT|PATCH|DELETE)\b|export\s+const\s+\{\s*([A-Z, ]+)\s*\}/g)) {
          for (const method of (m[1] ?? m[2] ?? "").split(",").map((s) => s.trim()).filter(Boolean)) out.push(`${full.split(path.sep).join("/")} ${method}`);
        }
      }
    }
  };
  walk("app");
  return out.sort();
}

describe("isolation table: every route, wrong org or account, wrong branch, too little permission, self-escalation, supplier-only called by a customer", () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  }, 120_000);

  it("every route handler is in the table or listed as public, with a reason", () => {
    const covered = new Set([...table.map((c) => `${c.file} ${c.method}`), ...coveredElsewhere.keys()]);
    expect(listRouteMethods().filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const c of table) {
    for (const kind of ["wrongOrg", "wrongBranch", "tooLittle", "selfEscalation", "supplierOnly"] as const) {
      const probe = c[kind];
      if (!probe || probe === "n/a") continue;
      it(`${c.method} ${c.file.replace(/^app|\/route\.ts$/g, "")}: ${kind} answers ${c.expect[kind]}`, async () => {
        const result = await probe(world);
        expect(result.status, JSON.stringify(result.body ?? "")).toBe(c.expect[kind]);
      });
    }
  }
});
