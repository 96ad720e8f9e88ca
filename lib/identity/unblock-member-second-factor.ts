import type { CommandTx } from "@/lib/core/command-tx";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { authThrottle, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/core/errors";
import { emailSchema } from "./schemas";
import { assertReachesAccount, loadManagedMember } from "./load-member-target";
import { mfaKey } from "./throttle-keys";

export const unblockSecondFactorSchema = z
  .object({ membershipId: z.string().max(100).optional(), email: emailSchema.optional() })
  .refine((v) => (v.membershipId === undefined) !== (v.email === undefined), { message: "give either a member (membershipId) or, as the operator, an email" });

/**
 * After 100 consecutive wrong second-factor codes a person's MFA check is blocked, and a password
 * reset deliberately does not lift it (whoever holds the mailbox could otherwise reset for endless
 * guesses). The block is the person's, in every org, so only an org that owns the account (its
 * administrator, after their own recent MFA check) clears it from the member's page; the operator
 * clears anyone's, by email (`npm run cli -- user unblock-mfa`).
 */
export const unblockMemberSecondFactorCommand = defineCommand({
  name: "member.mfa.unblocked",
  description:
    "A person's failed second-factor count was cleared (a block after 100 consecutive failures, or a growing delay); `failures` is the count cleared. Either an administrator of an organization that owns the account, after their own recent MFA check, or the operator by email (filed under no organization). Any other organization is refused.",
  access: { permission: "users:manage" },
  stepUp: { kind: "mfa" },
  input: unblockSecondFactorSchema,
  async run({ tx, principal }, input) {
    if (input.email !== undefined) {
      if (principal.actor.type !== "system") throw new ForbiddenError("Only the operator can clear a second-factor block by email; administrators use the member's page.");
      const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
      if (!user) throw new NotFoundError(`User "${input.email}"`);
      const failures = await clearSecondFactorFailures(tx, user.id);
      return { result: { failures }, target: { type: "user", id: user.id }, metadata: { user: user.email, failures } };
    }
    if (input.membershipId === undefined) throw new ValidationError({ membershipId: ["is required"] });
    const member = await loadManagedMember(tx, principal, input.membershipId);
    await assertReachesAccount(tx, principal, member, "clear their second-factor block: it applies in every organization they use. Whoever runs this Countersign installation can clear it.");
    const failures = await clearSecondFactorFailures(tx, member.userId);
    return {
      result: { failures },
      target: { type: "membership", id: member.membershipId },
      branchId: member.branchId,
      metadata: { member: member.email, failures },
    };
  },
});

async function clearSecondFactorFailures(tx: CommandTx, userId: string): Promise<number> {
  const [cleared] = await tx.delete(authThrottle).where(eq(authThrottle.key, mfaKey(userId).key)).returning({ failures: authThrottle.failures });
  if (!cleared) throw new ConflictError("They have no failed second-factor attempts to clear.");
  return cleared.failures;
}
