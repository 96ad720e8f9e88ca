import { and, eq, inArray, isNull } from "drizzle-orm";
import { scimGroupMembers, scimUsers } from "@/db/schema";
import type { CommandTx } from "@/lib/core/command-tx";
import { isUuid } from "@/lib/core/ids";
import { ScimError } from "../scim-error";

export const MAX_GROUP_MEMBERS_PER_CHANGE = 100_000;

/** The member ids a Group document names; only Users can be members (no nested groups). */
export function readMemberIds(members: unknown): string[] {
  if (members === undefined || members === null) return [];
  if (!Array.isArray(members)) throw new ScimError(400, "invalidValue", "members must be a list of { value } references to Users.");
  if (members.length > MAX_GROUP_MEMBERS_PER_CHANGE) throw new ScimError(400, "tooMany", `A group may list at most ${MAX_GROUP_MEMBERS_PER_CHANGE} members in one request.`);
  const ids = new Set<string>();
  for (const [i, m] of members.entries()) {
    const value = (m as { value?: unknown } | null)?.value;
    const type = (m as { type?: unknown } | null)?.type;
    if (typeof type === "string" && type.toLowerCase() === "group") throw new ScimError(400, "invalidValue", `members[${i}]: nested groups are not supported; list the Users.`);
    if (typeof value !== "string" || !value.trim()) throw new ScimError(400, "invalidValue", `members[${i}].value must be a User's id.`);
    ids.add(value.trim());
  }
  return [...ids];
}

/**
 * Makes a group's members exactly `wanted` (ids of live Users of this org; any other id, another
 * org's included, is 400 invalidValue naming it, as if it did not exist). Returns the Users whose
 * membership changed, whose mapped grants the caller brings up to date.
 */
export async function setGroupMembers(tx: CommandTx, orgId: string, groupId: string, wanted: string[]): Promise<string[]> {
  const bad = wanted.find((id) => !isUuid(id));
  if (bad !== undefined) throw new ScimError(400, "invalidValue", `members: no User with id "${bad.slice(0, 64)}".`);
  for (const part of chunks(wanted)) {
    const found = await tx.select({ id: scimUsers.id }).from(scimUsers).where(and(eq(scimUsers.orgId, orgId), inArray(scimUsers.id, part), isNull(scimUsers.deletedAt)));
    const known = new Set(found.map((f) => f.id));
    const missing = part.find((id) => !known.has(id));
    if (missing) throw new ScimError(400, "invalidValue", `members: no User with id "${missing}".`);
  }
  const current = await tx.select({ id: scimGroupMembers.scimUserId }).from(scimGroupMembers).where(and(eq(scimGroupMembers.orgId, orgId), eq(scimGroupMembers.groupId, groupId)));
  const have = new Set(current.map((c) => c.id));
  const want = new Set(wanted);
  const removed = [...have].filter((id) => !want.has(id));
  const added = wanted.filter((id) => !have.has(id));
  for (const part of chunks(removed)) await tx.delete(scimGroupMembers).where(and(eq(scimGroupMembers.orgId, orgId), eq(scimGroupMembers.groupId, groupId), inArray(scimGroupMembers.scimUserId, part)));
  for (const part of chunks(added)) await tx.insert(scimGroupMembers).values(part.map((scimUserId) => ({ groupId, scimUserId, orgId })));
  return [...removed, ...added];
}

// PostgreSQL binds at most 65,535 parameters per statement: big groups go in slices.
function chunks<T>(items: T[], size = 5000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
