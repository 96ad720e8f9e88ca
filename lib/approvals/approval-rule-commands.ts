import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { approvalRules } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { defineCommand, notFound, type CommandContext } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { assertRuleRoles } from "./rule-checks";
import { createApprovalRuleSchema, updateApprovalRuleSchema } from "./rule-schemas";

/**
 * Approval rules are managed by whoever manages the branch they are attached to
 * (branches:manage there; at the org root for an org-wide rule): a rule only ever adds
 * approvals to orders in that subtree.
 */
async function authorizeAt(ctx: CommandContext, orgId: string, branchId: string | null): Promise<void> {
  if (branchId === null) return ctx.authorize("branches:manage", "", "Branch");
  const branch = (await findBranch(ctx.tx, orgId, branchId)) ?? notFound("Branch");
  ctx.authorize("branches:manage", branch.path, "Branch");
}

export const createApprovalRuleCommand = defineCommand({
  name: "approval-rule.created",
  description: "An approval rule was attached to a branch (or the organization): its conditions and tiers in the metadata.",
  access: { permission: "branches:manage" },
  input: createApprovalRuleSchema,
  async run(ctx, input) {
    const orgId = ctx.principal.org?.id ?? notFound("Organization");
    await authorizeAt(ctx, orgId, input.branchId);
    await assertRuleRoles(ctx.tx, orgId, input);
    const [rule] = await ctx.tx.insert(approvalRules).values({ ...input, orgId }).returning();
    return { result: rule!, target: { type: "approval-rule", id: rule!.id }, branchId: input.branchId, metadata: { after: input } };
  },
});

export const updateApprovalRuleCommand = defineCommand({
  name: "approval-rule.updated",
  description: "An approval rule was changed (before and after in the metadata); orders already submitted keep the steps they were given.",
  access: { permission: "branches:manage" },
  input: updateApprovalRuleSchema,
  async run(ctx, input) {
    const orgId = ctx.principal.org?.id ?? notFound("Organization");
    const [rule] = await ctx.tx.select().from(approvalRules).where(and(eq(approvalRules.orgId, orgId), eq(approvalRules.id, input.ruleId))).for("update");
    if (!rule) notFound("Approval rule");
    await authorizeAt(ctx, orgId, rule.branchId);
    if (input.branchId !== undefined && input.branchId !== rule.branchId) await authorizeAt(ctx, orgId, input.branchId);
    if (input.version !== undefined && input.version !== rule.version) throw new ConflictError(`The rule changed since you loaded it (now version ${rule.version}).`, "version");
    const { ruleId, version, ...changes } = input;
    void ruleId;
    void version;
    await assertRuleRoles(ctx.tx, orgId, changes);
    const [updated] = await ctx.tx.update(approvalRules).set({ ...changes, version: sql`${approvalRules.version} + 1`, updatedAt: sql`now()` }).where(eq(approvalRules.id, rule.id)).returning();
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, (rule as Record<string, unknown>)[k]]));
    return { result: updated!, target: { type: "approval-rule", id: rule.id }, branchId: updated!.branchId, metadata: { before, after: changes } };
  },
});

export const deleteApprovalRuleCommand = defineCommand({
  name: "approval-rule.deleted",
  description: "An approval rule was deleted; orders already submitted keep their steps and history.",
  access: { permission: "branches:manage" },
  input: z.object({ ruleId: z.uuid({ message: "must be a rule id" }) }),
  async run(ctx, input) {
    const orgId = ctx.principal.org?.id ?? notFound("Organization");
    const [rule] = await ctx.tx.select().from(approvalRules).where(and(eq(approvalRules.orgId, orgId), eq(approvalRules.id, input.ruleId))).for("update");
    if (!rule) notFound("Approval rule");
    await authorizeAt(ctx, orgId, rule.branchId);
    await ctx.tx.delete(approvalRules).where(eq(approvalRules.id, rule.id));
    return { result: { id: rule.id }, target: { type: "approval-rule", id: rule.id }, branchId: rule.branchId, metadata: { before: { name: rule.name, branchId: rule.branchId } } };
  },
});
