import { UnauthorizedError } from "@/lib/core/errors";

export type PasskeyFailureReason =
  | "passkey-unknown"
  | "passkey-challenge-invalid"
  | "passkey-verification-failed";

/**
 * A refused passkey ceremony. Every cause gets the same message for the person, so a probe learns
 * nothing about which check failed; the reason (and the library's own explanation, when it is
 * safe) go to the audit event.
 */
export function passkeyFailure(message: string, reason: PasskeyFailureReason, cause?: unknown): UnauthorizedError {
  const detail = cause === undefined ? undefined : safeLibraryDetail(cause);
  return new UnauthorizedError(message, detail ? { reason, detail } : { reason });
}

// Long base64url runs are how keys, signatures and attestation data appear in error messages: a
// message with one is dropped rather than trimmed, because a trimmed key is still part of a key.
const KEY_MATERIAL = /[A-Za-z0-9_+/=-]{40,}/;

/** @simplewebauthn's explanation (wrong origin, rpId, counter), or undefined if it could carry key material. */
export function safeLibraryDetail(cause: unknown): string | undefined {
  const message = cause instanceof Error ? cause.message : typeof cause === "string" ? cause : undefined;
  if (!message || KEY_MATERIAL.test(message)) return undefined;
  return message.slice(0, 300);
}
