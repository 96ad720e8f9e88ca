import { safeRedirectPath } from "@/lib/core/action-result";

/** The page where a signed-in person confirms it is them, then returns to `next`. */
export function stepUpPath(next: string): string {
  return `/account/verify?callbackUrl=${encodeURIComponent(safeRedirectPath(next))}`;
}
