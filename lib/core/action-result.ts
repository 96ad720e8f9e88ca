import { appUrl } from "@/lib/mail/app-url";
import type { FieldErrors } from "./errors";

/** What every server action returns; works with React's useActionState. */
export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: FieldErrors; requestId?: string };

// Longer than any path of ours with its query; a longer value is not worth parsing.
const MAX_REDIRECT_LENGTH = 2048;

/**
 * Where to go after sign-in, MFA or step-up: a path on this site, never another one. The value
 * is resolved the way a browser would resolve it, against APP_URL (never the Host header): the
 * URL parser drops tabs and newlines, turns "\" into "/" and folds "." and ".." segments, which
 * is how "/%09/evil.com", "/\\evil.com" or "/.//evil.com" slip past a check on the raw string.
 * It must land on APP_URL's origin, and the normalized path it returns (percent-encoded, so no
 * control character reaches a Location header) must itself start with a single "/".
 */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > MAX_REDIRECT_LENGTH) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  const base = appUrl();
  let target: URL;
  try {
    target = new URL(value, base);
  } catch {
    return fallback;
  }
  if (target.origin !== base.origin) return fallback;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // "/.//evil.com" stays on our origin while parsed, but its path "//evil.com" would not.
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}
