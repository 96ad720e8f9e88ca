import { cursorInstant, decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { ValidationError } from "@/lib/core/errors";
import type { AuditKey } from "./read-audit-rows";

const SORT = "time";
const KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\/(\d{1,18})$/;

/**
 * The shared cursor carries sort, direction, a value and a uuid. Audit ids are bigserials, so the
 * value holds both halves of the key ("time/id") and the uuid slot holds the org: a cursor made
 * in one organization is refused in another instead of quietly paging someone else's trail.
 */
export function encodeAuditCursor(orgId: string, key: AuditKey): string {
  return encodeCursor(SORT, "desc", `${key.occurredAt}/${key.id}`, orgId);
}

export function decodeAuditCursor(cursor: string, orgId: string, field: string): AuditKey {
  const { value, id } = decodeCursor(cursor, { sort: SORT, dir: "desc", field });
  const match = typeof value === "string" ? KEY.exec(value) : null;
  if (!match || id !== orgId) throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
  // Year 0, 2026-02-31 and the like would reach PostgreSQL as a ::timestamptz it refuses.
  cursorInstant(match[1], field);
  return { occurredAt: match[1]!, id: Number(match[2]) };
}
