import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { defineCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { issueWebauthnChallenge } from "@/lib/mfa/checks/webauthn-challenges";
import { listPasskeyDescriptors, passkeyOwnerId } from "./passkey-owner";
import { relyingParty } from "./relying-party";

/**
 * The options for navigator.credentials.get() when a person proves themselves with a passkey.
 * No step-up here: this is how one steps up. The answer goes to the caller's MFA verification.
 */
export const startPasskeyAuthenticationCommand = defineCommand({
  name: "mfa.challenge.issued",
  description: "A second-factor challenge was issued to a signed-in person (metadata.method says which factor).",
  access: "authenticated",
  input: z.object({}),
  async run({ tx, principal }) {
    const userId = passkeyOwnerId(principal);
    const allowCredentials = await listPasskeyDescriptors(tx, userId);
    if (allowCredentials.length === 0) throw new ValidationError({ passkey: ["no passkey is set up for this account"] });
    const options = await generateAuthenticationOptions({ rpID: relyingParty().rpID, allowCredentials, userVerification: "preferred" });
    await issueWebauthnChallenge(tx, userId, "authentication", options.challenge);
    return { result: options as PublicKeyCredentialRequestOptionsJSON, target: { type: "user", id: userId }, metadata: { method: "passkey" } };
  },
});
