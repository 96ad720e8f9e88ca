import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { memberships, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { consumeToken, findLiveToken, oneTimeTokenSchema } from "./one-time-tokens";
import { checkNewPassword } from "./password-policy";
import { hashPassword } from "./passwords";

export const INVALID_INVITATION_LINK = "This invitation link has expired or was already used. Ask the person who invited you to send a new one.";

export const acceptInvitationSchema = z.object({
  token: oneTimeTokenSchema,
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters").optional(),
  // Required only for a person who has no password yet (checked in the body, with the policy).
  password: z.string().max(4096, "must be at most 1024 characters").optional(),
});

/**
 * Accepts an invitation: a new person chooses their name and password; someone who already has
 * a Countersign account keeps their password and just joins. The membership becomes active.
 * Nobody is signed in here, so the next sign-in goes through the usual checks, MFA included.
 */
export const acceptInvitationCommand = defineCommand({
  name: "invitation.accepted",
  description: "An invited person accepted their invitation (choosing a password if they had none) and their membership became active. A used, expired or unknown link records the denied action instead.",
  deniedAction: "invitation.accept.failed",
  access: "public",
  input: acceptInvitationSchema,
  async run({ tx }, input) {
    const live = await findLiveToken(tx, input.token, "invitation");
    if (!live?.membershipId || !live.orgId) throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: "token-invalid" });
    const [row] = await tx
      .select({ userId: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, disabledAt: users.disabledAt, status: memberships.status })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.id, live.membershipId));
    if (!row || row.disabledAt || row.status !== "invited") throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: row?.status === "invited" ? "user-disabled" : "not-invited" });

    const setsPassword = !row.passwordHash;
    const name = setsPassword ? (input.name ?? row.name) : row.name;
    if (setsPassword) {
      const weak = input.password ? checkNewPassword(input.password, { email: row.email, name }) : "is required";
      if (weak) throw new ValidationError({ password: [weak] });
    }

    const used = await consumeToken(tx, input.token, "invitation");
    if (!used) throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: "token-invalid" });
    // Guarded by "no password yet", so a stale link can never overwrite a password set since
    // (another org's invitation accepted a moment earlier, say).
    const passwordSet =
      setsPassword &&
      (await tx
        .update(users)
        .set({ passwordHash: await hashPassword(input.password!), name })
        .where(and(eq(users.id, row.userId), isNull(users.passwordHash)))
        .returning({ id: users.id })).length > 0;
    await tx.update(memberships).set({ status: "active" }).where(and(eq(memberships.id, live.membershipId), eq(memberships.status, "invited")));
    return {
      result: { userId: row.userId, email: row.email, membershipId: live.membershipId, orgId: live.orgId, passwordSet },
      actor: { type: "user", userId: row.userId, label: row.email },
      orgId: live.orgId,
      target: { type: "membership", id: live.membershipId },
      metadata: { before: { status: "invited" }, after: { status: "active" }, passwordSet },
    };
  },
});
