import type { scimGroups } from "@/db/schema";
import { GROUP_SCHEMA, scimUrl } from "../discovery";
import { etagOf } from "../etag";

export type ScimGroupRow = typeof scimGroups.$inferSelect;
export interface ScimMemberRef {
  id: string;
  display: string;
}

/** A stored Group as the IdP reads it; `members` is left out when the caller did not load them. */
export function renderScimGroup(row: ScimGroupRow, members: ScimMemberRef[] | null): Record<string, unknown> {
  return {
    schemas: [GROUP_SCHEMA],
    id: row.id,
    ...(row.externalId !== null ? { externalId: row.externalId } : {}),
    displayName: row.displayName,
    ...(members ? { members: members.map((m) => ({ value: m.id, display: m.display, $ref: scimUrl(`/Users/${m.id}`), type: "User" })) } : {}),
    meta: { resourceType: "Group", created: row.createdAt.toISOString(), lastModified: row.updatedAt.toISOString(), location: scimUrl(`/Groups/${row.id}`), version: etagOf(row.version) },
  };
}
