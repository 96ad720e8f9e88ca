"use server";

import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { safeRedirectPath, type ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { reauthenticateCommand } from "@/lib/identity/reauthenticate";
import { startPasskeyAuthenticationCommand } from "@/lib/mfa/start-passkey-authentication";
import { startTotpEnrollmentCommand } from "@/lib/mfa/start-totp-enrollment";
import { verifySecondFactorCommand, type SecondFactorInput } from "@/lib/mfa/verify-second-factor";
import { runAccountAction } from "./run-account-action";
import { setSessionCookie } from "./set-session-cookie";

// These actions serve half-finished sign-ins too; see runAccountAction.

/** Second factor at sign-in or step-up; on success the session has a new id and the person goes on. */
export async function verifySecondFactorAction(callbackUrl: string, input: SecondFactorInput): Promise<ActionResult<{ redirectTo: string }>> {
  return runAccountAction(async (principal, meta) => {
    const { sessionToken } = await runCommand(verifySecondFactorCommand, principal, meta, input);
    await setSessionCookie(sessionToken);
    return { redirectTo: safeRedirectPath(callbackUrl) };
  });
}

export async function verifyPasskeyAction(callbackUrl: string, response: AuthenticationResponseJSON): Promise<ActionResult<{ redirectTo: string }>> {
  return verifySecondFactorAction(callbackUrl, { method: "passkey", response: response as unknown as Record<string, unknown> } as SecondFactorInput);
}

export async function startPasskeyAuthenticationAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  return runAccountAction((principal, meta) => runCommand(startPasskeyAuthenticationCommand, principal, meta, {}) as Promise<PublicKeyCredentialRequestOptionsJSON>);
}

/** A step-up with the password, for people without a second factor. */
export async function reauthenticateAction(callbackUrl: string, input: { password: string }): Promise<ActionResult<{ redirectTo: string }>> {
  return runAccountAction(async (principal, meta) => {
    const { sessionToken } = await runCommand(reauthenticateCommand, principal, meta, input);
    await setSessionCookie(sessionToken);
    return { redirectTo: safeRedirectPath(callbackUrl) };
  });
}

export async function startTotpEnrollmentAction(): Promise<ActionResult<{ secret: string; uri: string; qrCode: string }>> {
  return runAccountAction((principal, meta) => runCommand(startTotpEnrollmentCommand, principal, meta, {}));
}
