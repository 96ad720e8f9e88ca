import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { scimGroupMembers, scimGroups } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { assertIfMatch } from "../etag";
import { scimOrgOf } from "../scim-actor";
import { loadScimGroup } from "./load-scim-group";
import { syncGrantsOf } from "./sync-members-grants";

export const deleteScimGroupSchema = z.object({ scimGroupId: z.string().max(100), ifMatch: z.string().max(1000).optional() });

/** DELETE /Groups/{id}: soft; its members lose the grants its name mapped, in the same transaction. */
export const deleteScimGroupCommand = defineCommand({
  name: "scim.group.deleted",
  description: "The IdP deleted a SCIM Group (actor type `scim`): its members lost the grants mapped from it in the same transaction; the record is kept, soft-deleted.",
  access: { permission: "users:manage" },
  input: deleteScimGroupSchema,
  async run({ tx, principal }, input) {
    const orgId = scimOrgOf(principal);
    const row = await loadScimGroup(tx, orgId, input.scimGroupId, { forUpdate: true });
    assertIfMatch(input.ifMatch, row.version);
    const removed = await tx.delete(scimGroupMembers).where(and(eq(scimGroupMembers.orgId, orgId), eq(scimGroupMembers.groupId, row.id))).returning({ id: scimGroupMembers.scimUserId });
    await tx.update(scimGroups).set({ deletedAt: sql`now()`, version: sql`${scimGroups.version} + 1`, updatedAt: sql`now()` }).where(eq(scimGroups.id, row.id));
    const grants = await syncGrantsOf(tx, orgId, removed.map((r) => r.id));
    return { result: { id: row.id }, target: { type: "scim-group", id: row.id, label: row.displayName }, metadata: { displayName: row.displayName, members: removed.length, grants } };
  },
});
