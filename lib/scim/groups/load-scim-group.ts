import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { isUuid } from "@/lib/core/ids";
import { ScimError } from "../scim-error";
import type { ScimGroupRow, ScimMemberRef } from "./render-scim-group";

export function groupNotFound(id: string): never {
  throw new ScimError(404, undefined, `Group ${id.slice(0, 64)} not found.`);
}

/** A live Group of this org, or 404 (another org's, deleted or malformed ids alike); `forUpdate` locks it. */
export async function loadScimGroup(tx: Executor, orgId: string, id: string, { forUpdate = false } = {}): Promise<ScimGroupRow> {
  if (!isUuid(id)) groupNotFound(id);
  const query = tx.select().from(scimGroups).where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.id, id), isNull(scimGroups.deletedAt)));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row ?? groupNotFound(id);
}

/** The live members of each group, by group id, in one query. */
export async function loadMembersOfGroups(tx: Executor, orgId: string, groupIds: string[]): Promise<Map<string, ScimMemberRef[]>> {
  const out = new Map<string, ScimMemberRef[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return out;
  const rows = await tx
    .select({ groupId: scimGroupMembers.groupId, id: scimUsers.id, display: sql<string>`coalesce(${scimUsers.doc} ->> 'displayName', ${scimUsers.userName})` })
    .from(scimGroupMembers)
    .innerJoin(scimUsers, eq(scimUsers.id, scimGroupMembers.scimUserId))
    .where(and(eq(scimGroupMembers.orgId, orgId), inArray(scimGroupMembers.groupId, groupIds), isNull(scimUsers.deletedAt)))
    .orderBy(asc(scimUsers.userNameKey));
  for (const r of rows) out.get(r.groupId)!.push({ id: r.id, display: r.display });
  return out;
}

/** A group's name is what mapping rules match, so it is unique per org whatever its case: 409 uniqueness. */
export async function assertGroupNameFree(tx: Executor, orgId: string, displayName: string, exceptId: string | null): Promise<void> {
  const taken = await tx
    .select({ id: scimGroups.id })
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.displayNameKey, displayName.toLowerCase()), isNull(scimGroups.deletedAt)));
  if (taken.some((t) => t.id !== exceptId)) throw new ScimError(409, "uniqueness", `displayName "${displayName.slice(0, 100)}" is already taken by another Group.`);
}
