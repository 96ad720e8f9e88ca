import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { defineCommand } from "@/lib/core/command";
import { issueWebauthnChallenge } from "@/lib/mfa/checks/webauthn-challenges";
import { beginFactorChange } from "./factor-changes";
import { listPasskeyDescriptors, loadPasskeyOwner, passkeyOwnerId } from "./passkey-owner";
import { relyingParty } from "./relying-party";

/**
 * First half of adding a passkey: the options for navigator.credentials.create(). The challenge
 * is kept server-side so the second half (mfa.passkey.added) can accept it exactly once.
 */
export const startPasskeyRegistrationCommand = defineCommand({
  name: "mfa.passkey.registration_started",
  description: "A person began adding a passkey; a single-use registration challenge was issued.",
  access: "authenticated",
  input: z.object({}),
  async run(ctx) {
    const { tx, principal } = ctx;
    passkeyOwnerId(principal);
    const { userId } = await beginFactorChange(ctx);
    const user = await loadPasskeyOwner(tx, userId);
    const rp = relyingParty();
    const existing = await listPasskeyDescriptors(tx, user.id);
    const options = await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpID,
      // The stable uuid, not the email: the authenticator keeps this handle, and an email can change.
      userID: new TextEncoder().encode(user.id),
      userName: user.email,
      userDisplayName: user.name || user.email,
      excludeCredentials: existing,
      authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
      attestationType: "none",
    });
    await issueWebauthnChallenge(tx, user.id, "registration", options.challenge);
    return { result: options as PublicKeyCredentialCreationOptionsJSON, target: { type: "user", id: user.id } };
  },
});
