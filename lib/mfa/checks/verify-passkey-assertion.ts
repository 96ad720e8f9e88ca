import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, sql } from "drizzle-orm";
import { verifyAuthenticationResponse, type AuthenticationExtensionsClientOutputs, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { z } from "zod";
import { webauthnCredentials } from "@/db/schema";
import { passkeyFailure } from "@/lib/mfa/passkey-failure";
import { relyingParty } from "@/lib/mfa/relying-party";
import { consumeWebauthnChallenge } from "./webauthn-challenges";

const base64url = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9_-]+={0,2}$/, "must be base64url");

/**
 * AuthenticationResponseJSON as browsers send it, for the caller's command input. Loose: newer
 * browsers add fields; the library checks everything it reads.
 */
export const passkeyAssertionSchema = z.looseObject({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  response: z.looseObject({
    clientDataJSON: base64url(8192),
    authenticatorData: base64url(8192),
    // Post-quantum (ML-DSA) signatures run to a few kilobytes.
    signature: base64url(8192),
    userHandle: base64url(1024).nullish().transform((v) => v ?? undefined),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional().catch(undefined),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}).transform((v) => v as AuthenticationExtensionsClientOutputs),
});

const REFUSED = "That passkey could not be verified.";

/**
 * Checks a passkey assertion for `userId` inside the calling command's transaction: the
 * credential must be theirs, the challenge one we issued them for authentication and unused, the
 * origin and rpId ours, the signature valid and the signature counter moving forward. On success
 * the counter and last use are saved (in the caller's transaction, so they commit together).
 */
export async function verifyPasskeyAssertion(tx: CommandTx, userId: string, response: AuthenticationResponseJSON): Promise<{ passkeyId: string; name: string }> {
  // Locked, so two assertions racing for one credential are checked one after the other against
  // the counter the first one saved.
  const [passkey] = await tx
    .select()
    .from(webauthnCredentials)
    .where(and(eq(webauthnCredentials.credentialId, response.id), eq(webauthnCredentials.userId, userId)))
    .for("update");
  if (!passkey) throw passkeyFailure(REFUSED, "passkey-unknown");

  const expectedChallenge = await consumeWebauthnChallenge(tx, userId, "authentication", response.response.clientDataJSON);
  if (!expectedChallenge) throw passkeyFailure(REFUSED, "passkey-challenge-invalid");

  const rp = relyingParty();
  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: { id: passkey.credentialId, publicKey: isoBase64URL.toBuffer(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      // A second factor after the password: presence is enough, as the options asked ("preferred").
      requireUserVerification: false,
    });
  } catch (error) {
    throw passkeyFailure(REFUSED, "passkey-verification-failed", error);
  }
  if (!verification.verified) throw passkeyFailure(REFUSED, "passkey-verification-failed", "signature did not verify");
  const newCounter = verification.authenticationInfo.newCounter;
  // The library refuses a counter that does not increase when either side is non-zero; checked
  // again here so a change of library behaviour cannot let a cloned authenticator through.
  if ((newCounter > 0 || passkey.counter > 0) && newCounter <= passkey.counter) {
    throw passkeyFailure(REFUSED, "passkey-verification-failed", `counter ${newCounter} did not increase from ${passkey.counter}`);
  }

  await tx.update(webauthnCredentials).set({ counter: newCounter, lastUsedAt: sql`now()` }).where(eq(webauthnCredentials.id, passkey.id));
  return { passkeyId: passkey.id, name: passkey.name };
}
