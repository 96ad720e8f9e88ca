import { z } from "zod";
import { approvalsQuerySchema, approvalRuleSchema, createApprovalRuleSchema, dryRunSchema } from "@/lib/approvals/rule-schemas";
import { createDelegationSchema, delegationListSchema, delegationSchema } from "@/lib/approvals/delegation-schemas";
import { createOrderBodySchema, editOrderBodySchema, orderActionBodySchema } from "./ordering-bodies";
import { PROBLEM_CONTENT_TYPE } from "./problem";

type JsonSchema = z.core.JSONSchema.BaseSchema;

/*
 * Ordering and approvals: drafts priced on the server, submission through the approval rules,
 * decisions, the caller's waiting approvals, the rules themselves and the dry run. Bodies are
 * generated from the schemas the routes validate with.
 */

const stepSchema = z.object({
  stepId: z.uuid(),
  orderId: z.uuid(),
  orderNumber: z.string(),
  orderVersion: z.number().int(),
  branchName: z.string(),
  buyerName: z.string(),
  currency: z.string(),
  totalMinor: z.number().int(),
  baseTotalMinor: z.number().int().nullable(),
  rule: z.string(),
  tier: z.number().int(),
  escalations: z.number().int(),
  waitingSince: z.string(),
  onBehalfOf: z.string().nullable(),
});
export const waitingPageSchema = z.object({ data: z.array(stepSchema), nextCursor: z.string().nullable() });
export const approvalRuleListSchema = z.object({ data: z.array(approvalRuleSchema) });
export const dryRunResultSchema = z.object({
  branchId: z.uuid(),
  currency: z.string(),
  totalMinor: z.number().int(),
  baseTotalMinor: z.number().int(),
  baseCurrency: z.string(),
  outcome: z.enum(["approved", "waiting"]),
  rules: z.array(z.object({ id: z.uuid(), name: z.string(), matched: z.boolean(), reasons: z.array(z.string()) })),
  tiers: z.array(z.object({ tier: z.number().int(), groups: z.array(z.object({ rule: z.string(), roles: z.array(z.string()), eligibleApprovers: z.array(z.object({ userId: z.uuid(), name: z.string(), email: z.string() })) })) })),
});

export function registerOrderingSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(waitingPageSchema, { id: "WaitingApprovalPage" });
  registry.add(approvalRuleSchema, { id: "ApprovalRule" });
  registry.add(approvalRuleListSchema, { id: "ApprovalRuleList" });
  registry.add(dryRunResultSchema, { id: "ApprovalDryRun" });
  registry.add(delegationSchema, { id: "ApprovalDelegation" });
  registry.add(delegationListSchema, { id: "ApprovalDelegationList" });
}

function idParam(what: string) {
  return { name: "id", in: "path", required: true, description: `The ${what}'s id.`, schema: { type: "string", format: "uuid" } };
}

function action(name: string, summary: string, conflict: string) {
  return {
    post: {
      operationId: `${name}Order`,
      security: [{ bearerAuth: [] }],
      summary,
      parameters: [idParam("order")],
      requestBody: { required: false, content: { "application/json": { schema: generate(orderActionBodySchema) } } },
      responses: responses({ "200": json("The order as it is now, with its approval history.", "OrderDetail") }, { conflict }),
    },
  };
}

export function buildOrderingPaths(): Record<string, Record<string, unknown>> {
  return {
    "/api/v1/orders/{id}/submit": action("submit", "Submits a draft (orders:create at its branch): lines are priced again, the total converted to the account's base currency, and the rules at the branch and above decide: approved at once, or waiting for the first tier (whose approvers are mailed). Audited as `order.submitted`.", "Not a draft, or `version` is stale."),
    "/api/v1/orders/{id}/approve": action("approve", "Approves the waiting step the caller is eligible for: orders:approve at the order's branch, one of the tier's roles, an approval limit at or above the total, never their own order unless the role's self-approval limit covers it. The order is approved when its last tier is. Audited as `order.approval.approved`.", "Already approved, rejected or cancelled, the caller already decided, or `version` is stale."),
    "/api/v1/orders/{id}/reject": action("reject", "Rejects the order (same eligibility as approving): one rejection rejects. Audited as `order.approval.rejected`.", "Already decided, or `version` is stale."),
    "/api/v1/orders/{id}/cancel": action("cancel", "Cancels the order: its buyer while it is a draft or waiting; orders:cancel at its branch also once approved. Audited as `order.cancelled`.", "Not cancellable in its status, or `version` is stale."),
    "/api/v1/approvals": {
      get: {
        operationId: "listWaitingApprovals",
        security: [{ bearerAuth: [] }],
        summary: "What waits for the caller's decision (steps they are eligible for, on orders in their orders:approve scope), oldest first. A page may hold fewer rows than `limit` while `nextCursor` moves on.",
        parameters: queryParameters(approvalsQuerySchema, { cursor: "The `nextCursor` of the previous page.", limit: "Page size." }),
        responses: responses({ "200": json("A page of waiting approvals.", "WaitingApprovalPage") }, { body: false }),
      },
    },
    "/api/v1/approval-delegations": {
      get: {
        operationId: "listApprovalDelegations",
        security: [{ bearerAuth: [] }],
        summary: "The delegations the caller gave (`given`) and received (`received`) in this organization, latest-ending first.",
        responses: responses({ "200": json("The caller's delegations.", "ApprovalDelegationList") }, { body: false }),
      },
      post: {
        operationId: "createApprovalDelegation",
        security: [{ bearerAuth: [] }],
        summary: "Names the caller's delegate (orders:approve) for a period of at most 180 days that has not ended: by `delegateMembershipId` or `delegateEmail`. The delegate must be an active member who approves orders in part of the caller's branches; they then decide the steps the caller is eligible for, but only within their own orders:approve scope and approval limit, never their own order (`403` with the reason otherwise). Audited as `approval.delegation.created`.",
        requestBody: { required: true, content: { "application/json": { schema: generate(createDelegationSchema) } } },
        responses: responses({ "201": json("The delegation.", "ApprovalDelegation") }, { conflict: "The same delegate already stands in for the caller during part of the period." }),
      },
    },
    "/api/v1/approval-delegations/{id}": {
      get: { operationId: "getApprovalDelegation", security: [{ bearerAuth: [] }], summary: "One delegation the caller gave or received; anyone else's is 404.", parameters: [idParam("delegation")], responses: responses({ "200": json("The delegation.", "ApprovalDelegation") }, { body: false }) },
      delete: { operationId: "endApprovalDelegation", security: [{ bearerAuth: [] }], summary: "The delegator ends the delegation now (or cancels one not yet begun); the row stays for the record. The delegate cannot. Audited as `approval.delegation.ended`.", parameters: [idParam("delegation")], responses: responses({ "200": json("The delegation, ended.", "ApprovalDelegation") }, { body: false }) },
    },
    "/api/v1/approval-rules": {
      get: {
        operationId: "listApprovalRules",
        security: [{ bearerAuth: [] }],
        summary: "The approval rules attached within the caller's branches:manage scope (org-wide ones with it at the root).",
        responses: responses({ "200": json("The rules.", "ApprovalRuleList") }, { body: false }),
      },
      post: {
        operationId: "createApprovalRule",
        security: [{ bearerAuth: [] }],
        summary: "Attaches a rule to a branch (branches:manage there) or to the organization (at the root). Conditions: total over an amount in the account's base currency, line count, SKUs, categories, requester roles. Tiers are ordered; a tier is AND of groups, a group OR of roles, each carrying orders:approve. Audited as `approval-rule.created`.",
        requestBody: { required: true, content: { "application/json": { schema: generate(createApprovalRuleSchema) } } },
        responses: responses({ "201": json("The rule.", "ApprovalRule") }, {}),
      },
    },
    "/api/v1/approval-rules/{id}": {
      get: { operationId: "getApprovalRule", security: [{ bearerAuth: [] }], summary: "One rule, within the caller's branches:manage scope.", parameters: [idParam("rule")], responses: responses({ "200": json("The rule.", "ApprovalRule") }, { body: false }) },
      patch: {
        operationId: "updateApprovalRule",
        security: [{ bearerAuth: [] }],
        summary: "Changes any of the rule's fields; send `version` to be told (409) when someone changed it since. Submitted orders keep their steps. Audited as `approval-rule.updated`.",
        parameters: [idParam("rule")],
        requestBody: { required: true, content: { "application/json": { schema: generate(createApprovalRuleSchema.partial().extend({ version: z.number().int().optional() })) } } },
        responses: responses({ "200": json("The rule as it is now.", "ApprovalRule") }, { conflict: "`version` is stale." }),
      },
      delete: { operationId: "deleteApprovalRule", security: [{ bearerAuth: [] }], summary: "Deletes the rule; submitted orders keep their steps and history. Audited as `approval-rule.deleted`.", parameters: [idParam("rule")], responses: responses({ "200": json("The rule was deleted.", "ResourceId") }, { body: false }) },
    },
    "/api/v1/approval-rules/dry-run": {
      post: {
        operationId: "dryRunApprovalRouting",
        security: [{ bearerAuth: [] }],
        summary: "How a draft (`orderId`) or lines at a branch would be routed, and why: every applicable rule with the reason each condition held or not, the tiers, and each group's eligible approvers. Writes nothing. Needs orders:create or branches:manage at the branch.",
        requestBody: { required: true, content: { "application/json": { schema: generate(dryRunSchema) } } },
        responses: responses({ "200": json("The routing.", "ApprovalDryRun") }, {}),
      },
    },
  };
}

/** POST /api/v1/orders and PATCH /api/v1/orders/{id}, merged into the existing order paths. */
export const createOrderOperation = {
  operationId: "createOrder",
  security: [{ bearerAuth: [] }],
  summary: "Drafts an order for a branch (orders:create there): lines by SKU, priced on the server from the catalog (a client's price or total is refused as an unknown field), the ship-to copied from the branch's addresses (its default ship-to unless `shipToAddressId`), a requested delivery date and a note. With `submit: true` it is submitted at once. Audited as `order.drafted` (and `order.submitted`).",
  requestBody: { required: true, content: { "application/json": { schema: generate(createOrderBodySchema) } } },
  responses: responses({ "201": json("The order.", "OrderDetail") }, {}),
};
export const editOrderOperation = {
  operationId: "editDraftOrder",
  security: [{ bearerAuth: [] }],
  summary: "Edits a draft: lines (priced again), currency, delivery date, ship-to, note. Send `version` to be told (409) when someone changed it since. Audited as `order.draft.updated`.",
  parameters: [idParam("order")],
  requestBody: { required: true, content: { "application/json": { schema: generate(editOrderBodySchema) } } },
  responses: responses({ "200": json("The order as it is now.", "OrderDetail") }, { conflict: "Not a draft, or `version` is stale." }),
};

function responses(ok: Record<string, unknown>, options: { body?: boolean; conflict?: string }) {
  return {
    ...ok,
    "401": problem("Missing or invalid token."),
    "403": problem("Visible, but the caller lacks the permission, or is not eligible (the reason is in `detail`: the rule, the limit, self-approval)."),
    "404": problem("Not found, or not visible to this token: the two are indistinguishable."),
    ...(options.conflict ? { "409": problem(options.conflict) } : {}),
    ...(options.body === false ? {} : { "413": problem("Body too large.") }),
    "422": problem("Invalid input; `errors` maps each field (such as `lines.0.sku`, `currency`, `tiers.0.0.1`) to its reasons."),
  };
}

function generate(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

function queryParameters(schema: z.ZodType, descriptions: Record<string, string>) {
  const generated = generate(schema);
  const required = new Set(generated.required ?? []);
  return Object.entries(generated.properties ?? {}).map(([name, property]) => ({ name, in: "query", required: required.has(name), description: descriptions[name], schema: property }));
}

function json(description: string, name: string) {
  return { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } };
}
function problem(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } };
}
