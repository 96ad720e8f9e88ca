/**
 * The failed-attempt counters (table auth_throttle) and their rules. Counting happens in
 * checks/throttle.ts, inside commands; this module is plain data, so reads (a member's
 * security panel) can name the same keys.
 */
export const BLOCK_AFTER_FAILURES = 100;
// A shared office NAT sends many people through one address: its count is forgotten after an
// hour without a failure (so everyday typos never add up to a delay), and a block lasts that hour.
const IP_FORGET_SECONDS = 60 * 60;

export interface ThrottleKey {
  key: string;
  /** Failures allowed before delays start. */
  free: number;
  /**
   * Seconds without a failure after which the count starts again from zero, which also lifts a
   * block (an address); without it, only a success or a password reset clears it (an account).
   */
  forgetAfterSeconds?: number;
  /** What a blocked person is told to do. */
  blockedMessage?: string;
}

/** Keyed by the email as typed, not the user id, so an unknown email behaves like a known one. */
export const accountKey = (email: string): ThrottleKey => ({
  key: `account:${email.trim().toLowerCase()}`,
  free: 3,
  // A completed password reset clears the count (lib/identity/complete-password-reset.ts).
  blockedMessage: "Too many failed attempts: sign-in is blocked for this account. Reset your password to unblock it.",
});
export const ipKey = (ip: string | null): ThrottleKey | null => (ip ? { key: `ip:${ip}`, free: 20, forgetAfterSeconds: IP_FORGET_SECONDS } : null);
// A password reset does not clear this one: otherwise whoever controls the mailbox could reset
// again and again for endless guesses at the second factor.
export const mfaKey = (userId: string): ThrottleKey => ({
  key: `mfa:${userId}`,
  free: 3,
  blockedMessage: "Too many failed attempts: the second-factor check is blocked for this account. Ask your administrator for help.",
});
