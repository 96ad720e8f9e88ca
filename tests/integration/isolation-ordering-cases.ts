import * as orderList from "@/app/api/v1/orders/route";
import * as orderItem from "@/app/api/v1/orders/[id]/route";
import * as submitRoute from "@/app/api/v1/orders/[id]/submit/route";
import * as approveRoute from "@/app/api/v1/orders/[id]/approve/route";
import * as rejectRoute from "@/app/api/v1/orders/[id]/reject/route";
import * as cancelRoute from "@/app/api/v1/orders/[id]/cancel/route";
import * as ruleList from "@/app/api/v1/approval-rules/route";
import * as ruleItem from "@/app/api/v1/approval-rules/[id]/route";
import * as dryRun from "@/app/api/v1/approval-rules/dry-run/route";
import * as approvals from "@/app/api/v1/approvals/route";
import { callRoute, type World } from "./isolation-world";
import { answer, h, type RouteCase } from "./isolation-route-case";

/**
 * The isolation table's ordering rows (tests/integration/isolation.test.ts spreads them in):
 * drafts and their actions, approvals, approval rules and the dry run. Another org's order,
 * rule or branch is 404; an order at a branch the caller cannot see is 404; a visible one they
 * may not act on is 403; lists never contain what is out of scope.
 */
const listExcludes = (res: { status: number; body?: unknown }, ...ids: string[]) => ({ status: res.status === 200 && !ids.some((id) => JSON.stringify(res.body).includes(id)) ? 200 : 599, body: res.body });
const post = (handler: unknown, token: string, id: string, body: unknown = {}) => callRoute(h(handler), token, "POST", "/api/v1/orders/x/action", { params: { id }, body }).then(answer);

const actions = [
  ["submit", submitRoute.POST, "drafts"],
  ["cancel", cancelRoute.POST, "drafts"],
  ["approve", approveRoute.POST, "waiting"],
  ["reject", rejectRoute.POST, "waiting"],
] as const;

export const orderingRouteCases: RouteCase[] = [
  {
    file: "app/api/v1/orders/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(orderList.POST), w.a.tokens.admin, "POST", "/api/v1/orders", { body: { branchId: w.b.branches.chicago.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } })),
    wrongBranch: async (w) => answer(await callRoute(h(orderList.POST), w.a.tokens.buyer, "POST", "/api/v1/orders", { body: { branchId: w.a.branches.berlin.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } })),
    tooLittle: async (w) => answer(await callRoute(h(orderList.POST), w.a.tokens.viewer, "POST", "/api/v1/orders", { body: { branchId: w.a.branches.chicago.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/orders/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(orderItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/orders/x", { params: { id: w.b.ordering.drafts.chicago }, body: { note: "mine" } })),
    wrongBranch: async (w) => answer(await callRoute(h(orderItem.PATCH), w.a.tokens.buyer, "PATCH", "/api/v1/orders/x", { params: { id: w.a.ordering.drafts.berlin }, body: { note: "mine" } })),
    // The Chicago viewer sees the draft but may not order there.
    tooLittle: async (w) => answer(await callRoute(h(orderItem.PATCH), w.a.tokens.viewer, "PATCH", "/api/v1/orders/x", { params: { id: w.a.ordering.drafts.chicago }, body: { note: "mine" } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  ...actions.map(
    ([name, handler, kind]): RouteCase => ({
      file: `app/api/v1/orders/[id]/${name}/route.ts`,
      method: "POST",
      wrongOrg: async (w) => post(handler, w.a.tokens.admin, w.b.ordering[kind].chicago),
      // Drafts: the Chicago buyer on Berlin's. Approvals: the keeper approves in Chicago only.
      wrongBranch: async (w) => post(handler, kind === "drafts" ? w.a.tokens.buyer : w.a.tokens.keeper, w.a.ordering[kind].berlin),
      tooLittle: async (w) => post(handler, w.a.tokens.viewer, w.a.ordering[kind].chicago),
      // The buyer deciding on their own order.
      ...(kind === "waiting" ? { selfEscalation: async (w: World) => post(handler, w.a.tokens.buyer, w.a.ordering.waiting.chicago) } : {}),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, ...(kind === "waiting" ? { selfEscalation: 403 } : {}) },
    }),
  ),
  {
    file: "app/api/v1/approvals/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(approvals.GET), w.a.tokens.admin, "GET", "/api/v1/approvals?limit=200")), w.b.ordering.waiting.chicago, w.b.ordering.waiting.berlin),
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(approvals.GET), w.a.tokens.keeper, "GET", "/api/v1/approvals?limit=200")), w.a.ordering.waiting.berlin),
    tooLittle: async (w) => listExcludes(await answer(await callRoute(h(approvals.GET), w.a.tokens.viewer, "GET", "/api/v1/approvals?limit=200")), w.a.ordering.waiting.chicago, w.a.ordering.waiting.berlin),
    // The buyer's own waiting order is never in their inbox.
    selfEscalation: async (w) => listExcludes(await answer(await callRoute(h(approvals.GET), w.a.tokens.buyer, "GET", "/api/v1/approvals?limit=200")), w.a.ordering.waiting.chicago),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 200, selfEscalation: 200 },
  },
  {
    file: "app/api/v1/approval-rules/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(ruleList.GET), w.a.tokens.admin, "GET", "/api/v1/approval-rules")), w.b.ordering.rules.root, w.b.ordering.rules.emea),
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(ruleList.GET), w.a.tokens.siteAdmin, "GET", "/api/v1/approval-rules")), w.a.ordering.rules.emea, w.a.ordering.rules.root),
    tooLittle: async (w) => answer(await callRoute(h(ruleList.GET), w.a.tokens.manager, "GET", "/api/v1/approval-rules")),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 403 },
  },
  {
    file: "app/api/v1/approval-rules/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(ruleList.POST), w.a.tokens.admin, "POST", "/api/v1/approval-rules", { body: { name: "Theirs", branchId: w.b.branches.na.id, tiers: [[[w.a.roles.admin]]] } })),
    wrongBranch: async (w) => answer(await callRoute(h(ruleList.POST), w.a.tokens.siteAdmin, "POST", "/api/v1/approval-rules", { body: { name: "Not mine", branchId: w.a.branches.emea.id, tiers: [[[w.a.roles.admin]]] } })),
    tooLittle: async (w) => answer(await callRoute(h(ruleList.POST), w.a.tokens.manager, "POST", "/api/v1/approval-rules", { body: { name: "Nope", branchId: w.a.branches.na.id, tiers: [[[w.a.roles.admin]]] } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  ...(["GET", "PATCH", "DELETE"] as const).map(
    (method): RouteCase => ({
      file: "app/api/v1/approval-rules/[id]/route.ts",
      method,
      wrongOrg: async (w) => answer(await callRoute(h(ruleItem[method]), w.a.tokens.admin, method, "/api/v1/approval-rules/x", { params: { id: w.b.ordering.rules.root }, body: method === "PATCH" ? { name: "Mine" } : undefined })),
      // The site admin manages North America only: the EMEA rule is not theirs to see.
      wrongBranch: async (w) => answer(await callRoute(h(ruleItem[method]), w.a.tokens.siteAdmin, method, "/api/v1/approval-rules/x", { params: { id: w.a.ordering.rules.emea }, body: method === "PATCH" ? { name: "Mine" } : undefined })),
      tooLittle: async (w) => answer(await callRoute(h(ruleItem[method]), w.a.tokens.manager, method, "/api/v1/approval-rules/x", { params: { id: w.a.ordering.rules.root }, body: method === "PATCH" ? { active: false } : undefined })),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: method === "GET" ? 404 : 403 },
    }),
  ),
  {
    file: "app/api/v1/approval-rules/dry-run/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(dryRun.POST), w.a.tokens.buyer, "POST", "/api/v1/approval-rules/dry-run", { body: { orderId: w.b.ordering.drafts.chicago } })),
    wrongBranch: async (w) => answer(await callRoute(h(dryRun.POST), w.a.tokens.buyer, "POST", "/api/v1/approval-rules/dry-run", { body: { branchId: w.a.branches.berlin.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } })),
    tooLittle: async (w) => answer(await callRoute(h(dryRun.POST), w.a.tokens.nobody, "POST", "/api/v1/approval-rules/dry-run", { body: { branchId: w.a.branches.chicago.id, lines: [{ sku: w.a.ordering.sku, quantity: 1 }] } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
];
