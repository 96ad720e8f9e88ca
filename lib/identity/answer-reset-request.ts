import { describeValidity } from "@/lib/mail/messages";
import { deliverMessage } from "./deliver-message";
import type { PendingMail } from "./request-password-reset";
import { passwordResetTtlSeconds } from "./token-lifetimes";

export interface PasswordResetAnswer {
  notice: string;
}

/** What "forgot password" tells everyone, whether or not the account exists. */
export function passwordResetNotice(now = new Date()): string {
  const validity = describeValidity(new Date(now.getTime() + passwordResetTtlSeconds() * 1000), now);
  return `If an account exists for that email, we have sent a link to reset the password. The link works for ${validity}.`;
}

/**
 * The public answer to a reset request. The mail, if any, is handed off without being awaited:
 * a slow SMTP server would otherwise make "account exists" measurably slower than "no account".
 */
export function answerPasswordResetRequest(requested: { mail: PendingMail | null }): PasswordResetAnswer {
  if (requested.mail) void deliverMessage(requested.mail.to, requested.mail.message);
  return { notice: passwordResetNotice() };
}
