import type { Executor } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { buildFilterConditions, visibleAuditCondition } from "./audit-conditions";
import { decodeAuditCursor, encodeAuditCursor } from "./audit-cursor";
import { encodeControlChars, encodeControlCharsDeep } from "./encode-control-chars";
import { readAuditRows, type AuditEventRecord } from "./read-audit-rows";
import type { AuditEvent, AuditListQuery } from "./schemas";

export interface AuditEventPage {
  data: AuditEvent[];
  /** Cursor for the next (older) page, or null at the end. */
  nextCursor: string | null;
  /** Cursor for the previous (newer) page, or null on the first page. */
  prevCursor: string | null;
}

/**
 * One keyset page of the org's audit trail that the principal may read, newest first. No count
 * of the whole trail is ever taken: at a million events the page costs one index walk.
 */
export async function listAuditEvents(db: Executor, principal: Principal, query: AuditListQuery): Promise<AuditEventPage> {
  const visible = visibleAuditCondition(principal);
  const orgId = principal.org!.id;
  const conditions = [visible, ...(await buildFilterConditions(db, orgId, query))];
  const backwards = Boolean(query.before);
  const cursorText = query.before ?? query.cursor;
  const after = cursorText ? decodeAuditCursor(cursorText, orgId, query.before ? "before" : "cursor") : undefined;

  // Walking back to newer events reads oldest-first from the cursor, then flips the page.
  const rows = await readAuditRows(db, conditions, { order: backwards ? "asc" : "desc", after, limit: query.limit + 1 });
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  const moreAfter = backwards ? true : hasMore;
  const moreBefore = backwards ? hasMore : Boolean(query.cursor);
  return {
    data: page.map(toAuditEventDto),
    nextCursor: moreAfter && last ? encodeAuditCursor(orgId, last) : null,
    prevCursor: moreBefore && first ? encodeAuditCursor(orgId, first) : null,
  };
}

/** The event as it may be shown: every string, metadata included, with control characters encoded. */
export function toAuditEventDto(r: AuditEventRecord): AuditEvent {
  const text = (v: string | null) => (v === null ? null : encodeControlChars(v));
  return {
    id: r.id,
    shard: r.shard,
    seq: r.seq,
    occurredAt: r.occurredAt,
    actorType: encodeControlChars(r.actorType),
    actorId: text(r.actorId),
    actorLabel: text(r.actorLabel),
    action: encodeControlChars(r.action),
    targetType: text(r.targetType),
    targetId: text(r.targetId),
    targetLabel: text(r.targetLabel),
    branchId: r.branchId,
    branchName: text(r.branchName),
    outcome: r.outcome,
    ip: text(r.ip),
    userAgent: text(r.userAgent),
    requestId: text(r.requestId),
    metadata: encodeControlCharsDeep(r.metadata) as Record<string, unknown>,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}
