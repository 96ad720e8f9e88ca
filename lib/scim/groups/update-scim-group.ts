import { and, eq, sql } from "drizzle-orm";
import { scimGroups } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { applyScimPatch, normalizeScimPatch, normalizeScimResource, SCIM_GROUP_RESOURCE_SCHEMA, type ScimGroupDoc } from "@/lib/scim/patch";
import { assertIfMatch } from "../etag";
import { scimOrgOf } from "../scim-actor";
import { updateScimUserSchema } from "../users/update-scim-user";
import { readGroupFacts } from "./group-facts";
import { assertGroupNameFree, loadMembersOfGroups, loadScimGroup } from "./load-scim-group";
import { renderScimGroup } from "./render-scim-group";
import { readMemberIds, setGroupMembers } from "./set-group-members";
import { syncGrantsOf } from "./sync-members-grants";

export const updateScimGroupSchema = updateScimUserSchema.omit({ scimUserId: true }).extend({ scimGroupId: updateScimUserSchema.shape.scimUserId });

/**
 * PUT or PATCH of a Group (Entra's member removal by value list, Okta's PUT with members), on
 * the locked row, a stale If-Match being 412. Members who joined or left, and every member when
 * the name changed, get their mapped grants recomputed in this same transaction.
 */
export const updateScimGroupCommand = defineCommand({
  name: "scim.group.updated",
  description: "The IdP replaced (PUT) or patched a SCIM Group (actor type `scim`): its name or members changed, and the mapped grants of the members concerned followed (counts in the metadata).",
  access: { permission: "users:manage" },
  input: updateScimGroupSchema,
  async run({ tx, principal }, input) {
    const orgId = scimOrgOf(principal);
    const row = await loadScimGroup(tx, orgId, input.scimGroupId, { forUpdate: true });
    assertIfMatch(input.ifMatch, row.version);
    const before = (await loadMembersOfGroups(tx, orgId, [row.id])).get(row.id)!;
    let doc: ScimGroupDoc;
    if (input.mode === "replace") {
      doc = normalizeScimResource(input.body, "Group");
    } else {
      const current = renderScimGroup(row, before);
      delete current.meta;
      doc = applyScimPatch(current as unknown as ScimGroupDoc, normalizeScimPatch(input.body, "Group"), SCIM_GROUP_RESOURCE_SCHEMA).resource;
    }
    const facts = readGroupFacts(doc);
    const renamed = facts.displayName !== row.displayName;
    if (facts.displayName.toLowerCase() !== row.displayNameKey) await assertGroupNameFree(tx, orgId, facts.displayName, row.id);
    const changed = await setGroupMembers(tx, orgId, row.id, readMemberIds(doc.members));
    const [saved] = await tx
      .update(scimGroups)
      .set({ displayName: facts.displayName, displayNameKey: facts.displayName.toLowerCase(), externalId: facts.externalId, version: sql`${scimGroups.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.id, row.id)))
      .returning();
    const grants = await syncGrantsOf(tx, orgId, renamed ? [...changed, ...before.map((m) => m.id)] : changed);
    const members = (await loadMembersOfGroups(tx, orgId, [row.id])).get(row.id)!;
    return {
      result: { resource: renderScimGroup(saved!, members) },
      target: { type: "scim-group", id: row.id, label: facts.displayName },
      metadata: { mode: input.mode, before: { displayName: row.displayName, members: before.length }, after: { displayName: facts.displayName, members: members.length }, membersChanged: changed.length, grants },
    };
  },
});
