import * as delegationList from "@/app/api/v1/approval-delegations/route";
import * as delegationItem from "@/app/api/v1/approval-delegations/[id]/route";
import { callRoute, type World } from "./isolation-world";
import { answer, h, type RouteCase } from "./isolation-route-case";

/**
 * The isolation table's delegation rows. A delegation is its delegator's and its delegate's
 * only: anyone else's, or another org's, is 404. Naming a delegate needs orders:approve, the
 * delegate must approve in part of the delegator's branches, and nobody names themselves.
 */
const listExcludes = (res: { status: number; body?: unknown }, ...ids: string[]) => ({ status: res.status === 200 && !ids.some((id) => JSON.stringify(res.body).includes(id)) ? 200 : 599, body: res.body });
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

export const delegationRouteCases: RouteCase[] = [
  {
    file: "app/api/v1/approval-delegations/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(delegationList.GET), w.a.tokens.admin, "GET", "/api/v1/approval-delegations")), w.delegations.b),
    // The keeper approves in Chicago, but a colleague's delegation is not theirs to list.
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(delegationList.GET), w.a.tokens.keeper, "GET", "/api/v1/approval-delegations")), w.delegations.a),
    tooLittle: async (w) => listExcludes(await answer(await callRoute(h(delegationList.GET), w.a.tokens.nobody, "GET", "/api/v1/approval-delegations")), w.delegations.a),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 200 },
  },
  {
    file: "app/api/v1/approval-delegations/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(delegationList.POST), w.a.tokens.manager, "POST", "/api/v1/approval-delegations", { body: { delegateMembershipId: w.b.members.admin.membershipId, endsAt: inAWeek() } })),
    // The keeper approves in Chicago only; the Berlin viewer approves nowhere: outside their branches.
    wrongBranch: async (w) => answer(await callRoute(h(delegationList.POST), w.a.tokens.keeper, "POST", "/api/v1/approval-delegations", { body: { delegateMembershipId: w.a.members.berliner.membershipId, endsAt: inAWeek() } })),
    tooLittle: async (w) => answer(await callRoute(h(delegationList.POST), w.a.tokens.viewer, "POST", "/api/v1/approval-delegations", { body: { delegateMembershipId: w.a.members.admin.membershipId, endsAt: inAWeek() } })),
    selfEscalation: async (w) => answer(await callRoute(h(delegationList.POST), w.a.tokens.keeper, "POST", "/api/v1/approval-delegations", { body: { delegateMembershipId: w.a.members.keeper.membershipId, endsAt: inAWeek() } })),
    expect: { wrongOrg: 404, wrongBranch: 422, tooLittle: 403, selfEscalation: 422 },
  },
  ...(["GET", "DELETE"] as const).map(
    (method): RouteCase => ({
      file: "app/api/v1/approval-delegations/[id]/route.ts",
      method,
      wrongOrg: async (w) => answer(await callRoute(h(delegationItem[method]), w.a.tokens.admin, method, "/api/v1/approval-delegations/x", { params: { id: w.delegations.b } })),
      wrongBranch: async (w) => answer(await callRoute(h(delegationItem[method]), w.a.tokens.keeper, method, "/api/v1/approval-delegations/x", { params: { id: w.delegations.a } })),
      tooLittle: async (w) => answer(await callRoute(h(delegationItem[method]), w.a.tokens.nobody, method, "/api/v1/approval-delegations/x", { params: { id: w.delegations.a } })),
      // Only the delegator ends it: the delegate (A's admin) cannot.
      ...(method === "DELETE" ? { selfEscalation: async (w: World) => answer(await callRoute(h(delegationItem.DELETE), w.a.tokens.admin, "DELETE", "/api/v1/approval-delegations/x", { params: { id: w.delegations.a } })) } : {}),
      expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404, ...(method === "DELETE" ? { selfEscalation: 404 } : {}) },
    }),
  ),
];
