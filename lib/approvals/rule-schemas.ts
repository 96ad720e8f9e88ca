import { z } from "zod";
import { safeText } from "@/lib/core/input-rules";

const roleId = z.uuid({ message: "must be a role id" });
const minor = z.number().int("must be a whole number of cents (the currency's smallest unit)").min(0, "must not be negative").max(9_007_199_254_740_991, "is too large");

/** A group: any one of these roles approves it (OR). A tier: every group approves (AND). */
export const tiersSchema = z
  .array(z.array(z.array(roleId).min(1, "needs at least one role").max(10, "may name at most 10 roles")).min(1, "needs at least one group").max(5, "may have at most 5 groups"))
  .min(1, "needs at least one tier")
  .max(5, "may have at most 5 tiers");

const ruleFields = {
  name: safeText().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  branchId: z.uuid({ message: "must be a branch id" }).nullable().describe("The branch it applies at, and below; null for the whole organization."),
  active: z.boolean(),
  overTotalMinor: minor.nullable().describe("Matches orders whose total, in the account's base currency (minor units), is above this."),
  minLines: z.number().int("must be a whole number").min(1, "must be at least 1").max(500, "must be at most 500").nullable(),
  skus: z.array(safeText().trim().min(1, "is required").max(64, "must be at most 64 characters")).max(200, "may list at most 200 SKUs"),
  categories: z.array(safeText().trim().min(1, "is required").max(80, "must be at most 80 characters")).max(50, "may list at most 50 categories"),
  requesterRoleIds: z.array(roleId).max(20, "may list at most 20 roles"),
  tiers: tiersSchema,
  selfApprovalLimits: z.record(roleId, minor).describe("Per role id: the largest base-currency total a holder of that role may approve of their own order. Absent: never."),
  escalateAfterHours: z.number().int("must be a whole number of hours").min(1, "must be at least 1").max(720, "must be at most 720 (30 days)").nullable(),
};

export const createApprovalRuleSchema = z
  .object({
    ...ruleFields,
    active: ruleFields.active.default(true),
    overTotalMinor: ruleFields.overTotalMinor.default(null),
    minLines: ruleFields.minLines.default(null),
    skus: ruleFields.skus.default([]),
    categories: ruleFields.categories.default([]),
    requesterRoleIds: ruleFields.requesterRoleIds.default([]),
    selfApprovalLimits: ruleFields.selfApprovalLimits.default({}),
    escalateAfterHours: ruleFields.escalateAfterHours.default(null),
  })
  .strict();
export type CreateApprovalRuleInput = z.input<typeof createApprovalRuleSchema>;

export const updateApprovalRuleSchema = z
  .object({
    ruleId: z.uuid({ message: "must be a rule id" }),
    version: z.number().int().min(1, "must be at least 1").max(2_000_000_000, "is not a version this server issued").optional(),
    ...Object.fromEntries(Object.entries(ruleFields).map(([k, v]) => [k, v.optional()])),
  } as { ruleId: z.ZodUUID; version: z.ZodOptional<z.ZodNumber> } & { [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]> })
  .strict();
export type UpdateApprovalRuleInput = z.input<typeof updateApprovalRuleSchema>;

export const approvalRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  branchId: z.uuid().nullable(),
  branchName: z.string().nullable(),
  active: z.boolean(),
  overTotalMinor: z.number().int().nullable(),
  minLines: z.number().int().nullable(),
  skus: z.array(z.string()),
  categories: z.array(z.string()),
  requesterRoleIds: z.array(z.uuid()),
  tiers: z.array(z.array(z.array(z.uuid()))),
  selfApprovalLimits: z.record(z.string(), z.number().int()),
  escalateAfterHours: z.number().int().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

/** The dry run: a draft's id, or lines for a branch as a draft would have them. */
export const dryRunSchema = z.union([
  z.object({ orderId: z.uuid({ message: "must be an order id" }) }).strict(),
  z
    .object({
      branchId: z.uuid({ message: "must be a branch id" }),
      lines: z.array(z.object({ sku: z.string().trim().min(1, "is required").max(64, "must be at most 64 characters"), quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1,000,000") }).strict()).min(1, "needs at least one line").max(500, "may have at most 500 lines"),
      currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").optional(),
    })
    .strict(),
]);

/** GET /api/v1/approvals and the inbox page. */
export const approvalsQuerySchema = z.object({
  cursor: safeText().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
