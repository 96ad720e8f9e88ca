import { eq } from "drizzle-orm";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { verifyRegistrationResponse, type AuthenticationExtensionsClientOutputs, type RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { webauthnCredentials } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { consumeWebauthnChallenge } from "@/lib/mfa/checks/webauthn-challenges";
import { beginFactorChange } from "./factor-changes";
import { passkeyFailure } from "./passkey-failure";
import { passkeyOwnerId } from "./passkey-owner";
import { relyingParty } from "./relying-party";

const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, "must be base64url");
const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;

// Loose on purpose: browsers add fields (authenticatorData, publicKey, hints) as WebAuthn grows;
// we check the parts we read, the library checks the rest.
const registrationResponseSchema = z.looseObject({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: base64url(8192),
    attestationObject: base64url(65536),
    // Unknown transports are dropped, not refused: a newer browser may report one we do not know.
    transports: z.array(z.string().max(32)).max(16).optional().transform((list) => list?.filter((t): t is (typeof TRANSPORTS)[number] => (TRANSPORTS as readonly string[]).includes(t))),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional().catch(undefined),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}).transform((v) => v as AuthenticationExtensionsClientOutputs),
});

export const addPasskeySchema = z.object({
  name: z.string().trim().min(1, "Give the passkey a name.").max(60, "At most 60 characters."),
  response: registrationResponseSchema,
});

const REFUSED = "That passkey could not be added. Start again.";

/**
 * Second half of adding a passkey: accepts the authenticator's response to a challenge we issued
 * to this person, exactly once, and keeps the credential's public key and counter.
 */
export const addPasskeyCommand = defineCommand({
  name: "mfa.passkey.added",
  description: "A person added a passkey as a second factor (its name and id are recorded, never its key).",
  access: "authenticated",
  input: addPasskeySchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    passkeyOwnerId(principal);
    const { userId } = await beginFactorChange(ctx);
    const response = input.response as RegistrationResponseJSON;
    const expectedChallenge = await consumeWebauthnChallenge(tx, userId, "registration", response.response.clientDataJSON);
    if (!expectedChallenge) throw passkeyFailure(REFUSED, "passkey-challenge-invalid");
    const rp = relyingParty();
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: false });
    } catch (error) {
      throw passkeyFailure(REFUSED, "passkey-verification-failed", error);
    }
    if (!verification.verified) throw passkeyFailure(REFUSED, "passkey-verification-failed");
    const { credential } = verification.registrationInfo;
    const [taken] = await tx.select({ id: webauthnCredentials.id }).from(webauthnCredentials).where(eq(webauthnCredentials.credentialId, credential.id));
    if (taken) throw new ConflictError("This passkey is already registered.", "response");
    const [row] = await tx
      .insert(webauthnCredentials)
      .values({
        userId,
        credentialId: credential.id,
        publicKey: isoBase64URL.fromBuffer(credential.publicKey),
        counter: credential.counter,
        transports: input.response.response.transports ?? [],
        name: input.name,
      })
      .returning({ id: webauthnCredentials.id, name: webauthnCredentials.name });
    return { result: { id: row!.id, name: row!.name }, target: { type: "user", id: userId }, metadata: { passkeyId: row!.id, name: row!.name } };
  },
});
