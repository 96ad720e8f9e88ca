import * as invoiceList from "@/app/api/v1/invoices/route";
import * as invoiceItem from "@/app/api/v1/invoices/[id]/route";
import * as approveRoute from "@/app/api/v1/invoices/[id]/approve/route";
import * as disputeRoute from "@/app/api/v1/invoices/[id]/dispute/route";
import { callRoute } from "./isolation-world";
import { answer, h, type RouteCase } from "./isolation-route-case";

/**
 * The isolation table's invoice rows (isolation.test.ts spreads them in). Another account's or
 * an invisible branch's invoice is 404; a visible one the caller may not decide is 403, and so
 * is the invoice of the caller's own order; issuing is supplier-only, and an org that is not an
 * account has nothing to invoice (404).
 */
const listExcludes = (res: { status: number; body?: unknown }, ...ids: string[]) => ({ status: res.status === 200 && !ids.some((id) => JSON.stringify(res.body).includes(id)) ? 200 : 599, body: res.body });

const decisions = [
  ["approve", approveRoute.POST, {}],
  ["dispute", disputeRoute.POST, { comment: "Not ours" }],
] as const;

export const invoiceRouteCases: RouteCase[] = [
  {
    file: "app/api/v1/invoices/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(invoiceList.GET), w.a.tokens.admin, "GET", "/api/v1/invoices?limit=200")), w.invoices.b.chicago, w.invoices.b.berlin),
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(invoiceList.GET), w.a.tokens.viewer, "GET", "/api/v1/invoices?limit=200")), w.invoices.a.berlin),
    tooLittle: async (w) => listExcludes(await answer(await callRoute(h(invoiceList.GET), w.a.tokens.nobody, "GET", "/api/v1/invoices?limit=200")), w.invoices.a.chicago, w.invoices.a.berlin),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 200 },
  },
  {
    file: "app/api/v1/invoices/route.ts",
    method: "POST",
    // An org that is not one of the supplier's accounts: its order is not found.
    wrongOrg: async (w) => answer(await callRoute(h(invoiceList.POST), w.supplier.tokens.accounts, "POST", "/api/v1/invoices", { body: { orderId: w.invoices.notAnAccountsOrder } })),
    wrongBranch: "n/a", // supplier permissions count at the supplier's root only
    tooLittle: async (w) => answer(await callRoute(h(invoiceList.POST), w.supplier.tokens.viewer, "POST", "/api/v1/invoices", { body: { orderId: w.invoices.aPlacedOrder } })),
    // A customer's admin invoicing their own placed order.
    supplierOnly: async (w) => answer(await callRoute(h(invoiceList.POST), w.a.tokens.admin, "POST", "/api/v1/invoices", { body: { orderId: w.invoices.aPlacedOrder } })),
    expect: { wrongOrg: 404, tooLittle: 403, supplierOnly: 403 },
  },
  {
    file: "app/api/v1/invoices/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(invoiceItem.GET), w.a.tokens.admin, "GET", "/api/v1/invoices/x", { params: { id: w.invoices.b.chicago } })),
    wrongBranch: async (w) => answer(await callRoute(h(invoiceItem.GET), w.a.tokens.viewer, "GET", "/api/v1/invoices/x", { params: { id: w.invoices.a.berlin } })),
    tooLittle: async (w) => answer(await callRoute(h(invoiceItem.GET), w.a.tokens.nobody, "GET", "/api/v1/invoices/x", { params: { id: w.invoices.a.chicago } })),
    // The supplier's staff read an invoice only as they issue it: the account's row is not theirs.
    supplierOnly: async (w) => answer(await callRoute(h(invoiceItem.GET), w.supplier.tokens.accounts, "GET", "/api/v1/invoices/x", { params: { id: w.invoices.a.chicago } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404, supplierOnly: 404 },
  },
  ...decisions.map(
    ([name, handler, body]): RouteCase => ({
      file: `app/api/v1/invoices/[id]/${name}/route.ts`,
      method: "POST",
      wrongOrg: async (w) => answer(await callRoute(h(handler), w.a.tokens.admin, "POST", "/api/v1/invoices/x/d", { params: { id: w.invoices.b.chicago }, body })),
      // The keeper approves in Chicago only.
      wrongBranch: async (w) => answer(await callRoute(h(handler), w.a.tokens.keeper, "POST", "/api/v1/invoices/x/d", { params: { id: w.invoices.a.berlin }, body })),
      // The Chicago viewer reads the invoice but may not decide it.
      tooLittle: async (w) => answer(await callRoute(h(handler), w.a.tokens.viewer, "POST", "/api/v1/invoices/x/d", { params: { id: w.invoices.a.chicago }, body })),
      // The keeper deciding the invoice of their own order.
      selfEscalation: async (w) => answer(await callRoute(h(handler), w.a.tokens.keeper, "POST", "/api/v1/invoices/x/d", { params: { id: w.invoices.a.keepersOwn }, body })),
      // Supplier staff deciding an account's invoice: not their org's row.
      supplierOnly: async (w) => answer(await callRoute(h(handler), w.supplier.tokens.accounts, "POST", "/api/v1/invoices/x/d", { params: { id: w.invoices.a.chicago }, body })),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403, supplierOnly: 403 },
    }),
  ),
];
