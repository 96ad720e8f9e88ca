import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { webauthnCredentials } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { dropOrphanedRecoveryCodes } from "./checks/drop-orphaned-recovery-codes";
import { assertFactorRemovable, beginFactorChange } from "./factor-changes";
import { passkeyOwnerId } from "./passkey-owner";

export const removePasskeySchema = z.object({ passkeyId: z.uuid() });

/** Removes one of the person's own passkeys, unless it is the last factor their role requires. */
export const removePasskeyCommand = defineCommand({
  name: "mfa.passkey.removed",
  description: "A person removed one of their passkeys (and their recovery codes, when no other factor is left). Refused while it is their last second factor and their role requires MFA.",
  access: "authenticated",
  input: removePasskeySchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    passkeyOwnerId(principal);
    const { userId, factors } = await beginFactorChange(ctx);
    // Someone else's passkey is answered exactly like a missing one.
    const [passkey] = await tx
      .select({ id: webauthnCredentials.id, name: webauthnCredentials.name })
      .from(webauthnCredentials)
      .where(and(eq(webauthnCredentials.id, input.passkeyId), eq(webauthnCredentials.userId, userId)))
      .for("update");
    if (!passkey) notFound("Passkey");
    await assertFactorRemovable(tx, userId, factors, "passkey");
    await tx.delete(webauthnCredentials).where(eq(webauthnCredentials.id, passkey.id));
    const recoveryCodesRemoved = await dropOrphanedRecoveryCodes(tx, userId);
    return { result: { id: passkey.id }, target: { type: "user", id: userId }, metadata: { before: { passkeyId: passkey.id, name: passkey.name }, recoveryCodesRemoved } };
  },
});
