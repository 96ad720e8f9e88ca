/**
 * How long reset, invitation and email-change links stay valid. Read on every call, so an operator's change
 * applies without a rebuild; a value that is not a positive whole number falls back to the
 * default rather than minting links that never expire.
 */
const DEFAULT_PASSWORD_RESET_TTL_SECONDS = 30 * 60;
const DEFAULT_INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;
const DEFAULT_EMAIL_CHANGE_TTL_SECONDS = 60 * 60;

export function passwordResetTtlSeconds(): number {
  return readSeconds(process.env.PASSWORD_RESET_TTL_SECONDS, DEFAULT_PASSWORD_RESET_TTL_SECONDS);
}

export function invitationTtlSeconds(): number {
  return readSeconds(process.env.INVITATION_TTL_SECONDS, DEFAULT_INVITATION_TTL_SECONDS);
}

export function emailChangeTtlSeconds(): number {
  return readSeconds(process.env.EMAIL_CHANGE_TTL_SECONDS, DEFAULT_EMAIL_CHANGE_TTL_SECONDS);
}

function readSeconds(raw: string | undefined, fallback: number): number {
  const value = Number(raw?.trim() || NaN);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
