import { eq } from "drizzle-orm";
import { authThrottle } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { loadManagedMember, memberTargetSchema } from "./load-member-target";
import { mfaKey } from "./throttle-keys";

/**
 * After 100 consecutive wrong second-factor codes a person's MFA check is blocked, and a password
 * reset deliberately does not lift it (whoever holds the mailbox could otherwise reset for endless
 * guesses). An administrator who has confirmed it is really them clears it here.
 */
export const unblockMemberSecondFactorCommand = defineCommand({
  name: "member.mfa.unblocked",
  description: "An administrator cleared a member's failed second-factor count (a block after 100 consecutive failures, or a growing delay); `failures` is the count cleared. Needs the administrator's own recent MFA check.",
  access: { permission: "users:manage" },
  stepUp: { kind: "mfa" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    const [cleared] = await tx.delete(authThrottle).where(eq(authThrottle.key, mfaKey(member.userId).key)).returning({ failures: authThrottle.failures });
    if (!cleared) throw new ConflictError("They have no failed second-factor attempts to clear.");
    return {
      result: { failures: cleared.failures },
      target: { type: "membership", id: member.membershipId },
      branchId: member.branchId,
      metadata: { member: member.email, failures: cleared.failures },
    };
  },
});
