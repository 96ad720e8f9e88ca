import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { requireAuditReader } from "@/lib/audit/record-access-denied";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";

/**
 * The member, when they hold audit:read; null (after recording the attempt) when they do not, so
 * the page can say what is missing. Each audit page calls this itself: a check in a layout
 * would not run again when navigating between the pages under it.
 */
export async function loadAuditReader(orgSlug: string, resource: string): Promise<Principal | null> {
  const principal = await requirePrincipal(orgSlug);
  try {
    await requireAuditReader(principal, await loadRequestMeta(), resource);
    return principal;
  } catch (error) {
    if (error instanceof ForbiddenError) return null;
    throw error;
  }
}
