import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { visibleAuditCondition } from "./audit-conditions";
import { CHAIN_ZERO } from "./checkpoint";
import { parseEventRef } from "./event-ref";
import { toAuditEventDto } from "./list-audit-events";
import { readAuditRows } from "./read-audit-rows";
import type { AuditEvent } from "./schemas";

/**
 * One event of the principal's org by its place in the org's chain (what verification reports):
 * "<seq>" in shard 0 or "<shard>-<seq>" (lib/audit/event-ref.ts), or null when there is none or
 * it lies outside what the principal may read.
 */
export async function getAuditEvent(db: Executor, principal: Principal, refText: string): Promise<AuditEvent | null> {
  const visible = visibleAuditCondition(principal);
  const ref = parseEventRef(refText);
  if (!ref) return null;
  // Spelled like the chain's unique index (coalesce(org_id, zero), shard, seq), so it is one index probe.
  const inChain = sql`coalesce(${auditEvents.orgId}, ${CHAIN_ZERO}::uuid) = ${principal.org!.id}::uuid`;
  const [row] = await readAuditRows(db, [visible, inChain, eq(auditEvents.shard, ref.shard), eq(auditEvents.seq, ref.seq)], { order: "desc", limit: 1 });
  return row ? toAuditEventDto(row) : null;
}
