import type { FieldErrors } from "./errors";

/** What every server action returns; works with React's useActionState. */
export type ActionResult<T = null> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: FieldErrors; requestId?: string };

/** Only same-site paths are followed after sign-in: never an absolute or protocol-relative URL. */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  return value;
}
