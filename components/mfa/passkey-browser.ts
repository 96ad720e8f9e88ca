import { useSyncExternalStore } from "react";
import { browserSupportsWebAuthn } from "@simplewebauthn/browser";

/** What a server action returns (lib/core/action-result.ts), restated: components take no lib imports. */
export type PasskeyActionResult<T> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[]>; requestId?: string };

export const PROMPT_CLOSED = "The passkey prompt was closed or timed out. Nothing was changed.";
export const WEBAUTHN_UNAVAILABLE = "This browser cannot use passkeys here. Try an up-to-date browser, over HTTPS or on localhost.";

const noSubscription = () => () => {};

/**
 * Whether this browser offers WebAuthn. The server render assumes it does, so the button is not
 * disabled and re-enabled during hydration on the browsers that have it (nearly all).
 */
export function useWebAuthnSupport(): boolean {
  return useSyncExternalStore(noSubscription, browserSupportsWebAuthn, () => true);
}

/**
 * A sentence for what went wrong between the browser and the authenticator. @simplewebauthn's
 * WebAuthnError keeps the DOMException's name, so the spec's error names are what we match.
 */
export function describePasskeyError(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (name === "NotAllowedError" || name === "AbortError" || code === "ERROR_CEREMONY_ABORTED") return PROMPT_CLOSED;
  if (name === "InvalidStateError") return "This device already holds a passkey for your account. Nothing was changed.";
  if (name === "SecurityError") return "The browser refused the passkey request for this address. Open Countersign at its usual address and try again.";
  if (error instanceof Error && /not supported/i.test(error.message)) return WEBAUTHN_UNAVAILABLE;
  return "Your device could not complete the passkey request. Nothing was changed.";
}
