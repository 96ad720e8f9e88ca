import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { isUuid } from "@/lib/core/ids";
import { ScimError } from "../scim-error";
import type { ScimGroupRef, ScimUserRow } from "./render-scim-user";

export function userNotFound(id: string): never {
  throw new ScimError(404, undefined, `User ${id.slice(0, 64)} not found.`);
}

/**
 * A live SCIM User of this org, or 404: another org's id, a deleted one and a malformed one read
 * the same. `forUpdate` locks the row so concurrent changes take turns (and If-Match sees the
 * version the change will replace).
 */
export async function loadScimUser(tx: Executor, orgId: string, id: string, { forUpdate = false } = {}): Promise<ScimUserRow> {
  if (!isUuid(id)) userNotFound(id);
  const query = tx.select().from(scimUsers).where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.id, id), isNull(scimUsers.deletedAt)));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row ?? userNotFound(id);
}

/** The live groups of each user, by user id, in one query. */
export async function loadGroupsOfUsers(tx: Executor, orgId: string, userIds: string[]): Promise<Map<string, ScimGroupRef[]>> {
  const out = new Map<string, ScimGroupRef[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await tx
    .select({ userId: scimGroupMembers.scimUserId, id: scimGroups.id, displayName: scimGroups.displayName })
    .from(scimGroupMembers)
    .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
    .where(and(eq(scimGroupMembers.orgId, orgId), inArray(scimGroupMembers.scimUserId, userIds), isNull(scimGroups.deletedAt)))
    .orderBy(asc(scimGroups.displayName));
  for (const r of rows) out.get(r.userId)!.push({ id: r.id, displayName: r.displayName });
  return out;
}

/** userName is unique per org whatever its case (RFC 7643 §4.1.1): a taken one is 409 uniqueness. */
export async function assertUserNameFree(tx: Executor, orgId: string, userName: string, exceptId: string | null): Promise<void> {
  const taken = await tx
    .select({ id: scimUsers.id })
    .from(scimUsers)
    .where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.userNameKey, userName.toLowerCase()), isNull(scimUsers.deletedAt)));
  if (taken.some((t) => t.id !== exceptId)) throw new ScimError(409, "uniqueness", `userName "${userName.slice(0, 100)}" is already taken by another User.`);
}
