import type { scimUsers } from "@/db/schema";
import { ENTERPRISE_USER_SCHEMA, scimUrl, USER_SCHEMA } from "../discovery";
import { etagOf } from "../etag";

export type ScimUserRow = typeof scimUsers.$inferSelect;
export interface ScimGroupRef {
  id: string;
  displayName: string;
}

/**
 * A stored SCIM User as the IdP reads it back: its document as sent (active echoed as the IdP set
 * it, whatever the membership's state), with the server's id, groups and meta.
 */
export function renderScimUser(row: ScimUserRow, groups: ScimGroupRef[]): Record<string, unknown> {
  const { [ENTERPRISE_USER_SCHEMA]: enterprise, ...doc } = row.doc;
  return {
    schemas: enterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: row.id,
    ...(row.externalId !== null ? { externalId: row.externalId } : {}),
    userName: row.userName,
    ...doc,
    active: row.active,
    groups: groups.map((g) => ({ value: g.id, display: g.displayName, $ref: scimUrl(`/Groups/${g.id}`), type: "direct" })),
    ...(enterprise ? { [ENTERPRISE_USER_SCHEMA]: enterprise } : {}),
    meta: { resourceType: "User", created: row.createdAt.toISOString(), lastModified: row.updatedAt.toISOString(), location: scimUrl(`/Users/${row.id}`), version: etagOf(row.version) },
  };
}

// Kept in columns (userName, externalId, active), computed (groups, meta) or never stored (password).
const SERVER_OR_COLUMN = new Set(["schemas", "id", "meta", "userName", "externalId", "active", "groups", "password"]);

/** What is stored of a normalised User: everything but the columns and the server's attributes. */
export function storedUserDoc(resource: Record<string, unknown>): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) if (!SERVER_OR_COLUMN.has(key)) doc[key] = value;
  return doc;
}
