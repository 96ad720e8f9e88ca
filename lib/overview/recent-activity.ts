import type { Executor } from "@/db/client";
import { scopeOf } from "@/lib/access/access";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditListQuerySchema, type AuditEvent } from "@/lib/audit/schemas";
import type { Principal } from "@/lib/core/context";

/** How many of the newest events the overview shows; the audit page has the rest. */
export const RECENT_ACTIVITY_COUNT = 8;

/**
 * The newest events the member may read (the audit page's own list and visibility), or null
 * without audit:read: the overview does not ask, so it records no denial for a figure it omits.
 */
export async function listRecentActivity(db: Executor, principal: Principal): Promise<AuditEvent[] | null> {
  if (!principal.org || scopeOf(principal.access, "audit:read").kind === "none") return null;
  const page = await listAuditEvents(db, principal, auditListQuerySchema.parse({ limit: RECENT_ACTIVITY_COUNT }));
  return page.data;
}
