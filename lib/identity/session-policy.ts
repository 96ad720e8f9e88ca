/** Session lifetimes, read at call time so tests and operators can change them. */
function seconds(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Absolute lifetime of a signed-in session (SESSION_MAX_AGE_SECONDS, default 12 h). */
export const sessionMaxAgeSeconds = () => seconds("SESSION_MAX_AGE_SECONDS", 12 * 60 * 60);
/** Idle timeout: no request for this long ends the session (SESSION_IDLE_TIMEOUT_SECONDS, default 30 min). */
export const sessionIdleTimeoutSeconds = () => seconds("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60);
/** A half-finished sign-in (second factor or enrollment due) lasts this long. */
export const pendingSignInSeconds = () => seconds("PENDING_SIGN_IN_SECONDS", 15 * 60);
/** last_seen_at is written at most this often, so the idle check costs no write per request. */
export const LAST_SEEN_RESOLUTION_SECONDS = 60;
