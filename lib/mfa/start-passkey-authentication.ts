import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { defineCommand } from "@/lib/core/command";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { issueWebauthnChallenge } from "@/lib/mfa/checks/webauthn-challenges";
import { listPasskeyDescriptors, passkeyOwnerId } from "./passkey-owner";
import { relyingParty } from "./relying-party";

/**
 * The options for navigator.credentials.get() when a person proves themselves with a passkey.
 * No step-up here: this is how one steps up. The answer goes to the caller's MFA verification.
 * A sign-in waiting for its second factor may ask for one (a passkey-only person has no other
 * way in but recovery codes); one waiting for enrollment has no factor to prove.
 */
export const startPasskeyAuthenticationCommand = defineCommand({
  name: "mfa.challenge.issued",
  description: "A second-factor challenge was issued to a signed-in person (metadata.method says which factor).",
  access: "authenticated",
  duringSignIn: true,
  input: z.object({}),
  async run({ tx, principal }) {
    const userId = passkeyOwnerId(principal);
    if (principal.pendingSignIn === "enrollment") throw new ForbiddenError("Set up an authenticator app to finish signing in.");
    const allowCredentials = await listPasskeyDescriptors(tx, userId);
    if (allowCredentials.length === 0) throw new ValidationError({ passkey: ["no passkey is set up for this account"] });
    const options = await generateAuthenticationOptions({ rpID: relyingParty().rpID, allowCredentials, userVerification: "preferred" });
    await issueWebauthnChallenge(tx, userId, "authentication", options.challenge);
    return { result: options as PublicKeyCredentialRequestOptionsJSON, target: { type: "user", id: userId }, metadata: { method: "passkey" } };
  },
});
