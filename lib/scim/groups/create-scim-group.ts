import { defineCommand } from "@/lib/core/command";
import { normalizeScimResource } from "@/lib/scim/patch";
import { scimGroups } from "@/db/schema";
import { scimOrgOf } from "../scim-actor";
import { scimBodySchema } from "../users/create-scim-user";
import { assertGroupNameFree, loadMembersOfGroups } from "./load-scim-group";
import { renderScimGroup } from "./render-scim-group";
import { readGroupFacts } from "./group-facts";
import { readMemberIds, setGroupMembers } from "./set-group-members";
import { syncGrantsOf } from "./sync-members-grants";

/** POST /Groups: a Group with its members; the mapping rules on its name give them grants, in one transaction. */
export const createScimGroupCommand = defineCommand({
  name: "scim.group.created",
  description: "The IdP created a SCIM Group (actor type `scim`) with its members; the mapping rules on its name gave them grants (counts in the metadata).",
  access: { permission: "users:manage" },
  input: scimBodySchema,
  async run({ tx, principal }, input) {
    const orgId = scimOrgOf(principal);
    const doc = normalizeScimResource(input.body, "Group");
    const facts = readGroupFacts(doc);
    await assertGroupNameFree(tx, orgId, facts.displayName, null);
    const memberIds = readMemberIds(doc.members);
    const [row] = await tx.insert(scimGroups).values({ orgId, displayName: facts.displayName, displayNameKey: facts.displayName.toLowerCase(), externalId: facts.externalId }).returning();
    const changed = await setGroupMembers(tx, orgId, row!.id, memberIds);
    const grants = await syncGrantsOf(tx, orgId, changed);
    const members = (await loadMembersOfGroups(tx, orgId, [row!.id])).get(row!.id)!;
    return {
      result: { resource: renderScimGroup(row!, members) },
      target: { type: "scim-group", id: row!.id, label: facts.displayName },
      metadata: { displayName: facts.displayName, members: memberIds.length, grants },
    };
  },
});
