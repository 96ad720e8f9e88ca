import { eq } from "drizzle-orm";
import { z } from "zod";
import { memberships, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { assertReachesAccount, authorizeMemberChange, loadMemberTarget } from "./load-member-target";
import { deactivateMembership, reactivateMembership } from "./member-status";
import { grantSetSchema, replaceMemberGrants, type GrantChange } from "./replace-member-grants";

export const updateMemberSchema = z
  .object({
    membershipId: z.string().max(100),
    name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters").optional(),
    status: z.enum(["active", "deactivated"], { message: 'must be "active" or "deactivated"' }).optional(),
    grants: grantSetSchema.optional(),
  })
  .strict();
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

/**
 * PATCH /api/v1/members/{id}, `member update` and the Users page's bulk actions: a member's name,
 * status (deactivate or reactivate) and whole grant set, in one transaction and one event. The
 * name is the org's to change only until the person joins (what the inviter typed); a joined
 * person's own name belongs to their account, which only an org that owns it may rename. Setting
 * the status a member already has changes nothing, so a retried request is harmless.
 */
export const updateMemberCommand = defineCommand({
  name: "member.updated",
  description:
    "An administrator changed a member: `before`/`after` hold the name and status that changed; `grants.added` / `grants.removed` the grants replaced in the same step; `tokensRevoked` when the change deactivated them (their sessions here ended and their API tokens were revoked in the same transaction).",
  access: { permission: "users:manage" },
  input: updateMemberSchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    const orgId = principal.org?.id ?? notFound("Organization");
    const member = await loadMemberTarget(tx, orgId, input.membershipId);
    if (input.name === undefined && input.status === undefined && input.grants === undefined) throw new ValidationError({ input: ["must change at least one of name, status and grants"] });
    if (principal.membershipId === member.membershipId && input.status !== undefined) throw new ForbiddenError("You cannot change your own status; ask another administrator.", "users:manage");
    authorizeMemberChange(principal, member);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (input.name !== undefined && input.name !== member.name) {
      if (member.joined) {
        await assertReachesAccount(tx, principal, member, "rename a person who has joined: their name belongs to their own account.");
        await tx.update(users).set({ name: input.name }).where(eq(users.id, member.userId));
      } else {
        await tx.update(memberships).set({ invitedName: input.name }).where(eq(memberships.id, member.membershipId));
      }
      Object.assign(before, { name: member.name });
      Object.assign(after, { name: input.name });
    }
    let tokensRevoked: number | undefined;
    if (input.status === "deactivated" && member.status !== "deactivated") {
      tokensRevoked = await deactivateMembership(tx, orgId, member);
      Object.assign(before, { status: member.status });
      Object.assign(after, { status: "deactivated" });
    } else if (input.status === "active" && member.status === "deactivated") {
      Object.assign(before, { status: member.status });
      Object.assign(after, { status: await reactivateMembership(tx, member) });
    }
    let grantChanges: { added: GrantChange[]; removed: GrantChange[] } | undefined;
    if (input.grants !== undefined) grantChanges = await replaceMemberGrants(ctx, orgId, member, input.grants);
    return {
      result: { membershipId: member.membershipId, tokensRevoked: tokensRevoked ?? 0 },
      target: { type: "membership", id: member.membershipId },
      branchId: member.branchId,
      metadata: { member: member.email, before, after, ...(grantChanges ? { grants: grantChanges } : {}), ...(tokensRevoked !== undefined ? { tokensRevoked } : {}) },
    };
  },
});
