import { z } from "zod";
import { scimUsers } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { normalizeScimResource } from "@/lib/scim/patch";
import { scimOrgOf } from "../scim-actor";
import { linkScimMember } from "./link-member";
import { assertUserNameFree } from "./load-scim-user";
import { renderScimUser, storedUserDoc } from "./render-scim-user";
import { requireUserName } from "./require-user-name";
import { syncScimGrants } from "./sync-scim-grants";
import { readUserFacts } from "./user-facts";

export const scimBodySchema = z.object({ body: z.unknown() });

/**
 * POST /Users: a new SCIM User with its account and membership (link-member.ts: managed at an
 * owned domain, otherwise invited) and the grants the mapping rules give it, in one transaction.
 * The invitation mail, if any, is sent by the caller after commit.
 */
export const createScimUserCommand = defineCommand({
  name: "scim.user.created",
  description: "The IdP created a SCIM User (actor type `scim`, the token's id): the account and membership it stands for (managed at a domain the org owns, otherwise invited) and the grants the mapping rules gave it.",
  access: { permission: "users:manage" },
  input: scimBodySchema,
  async run(ctx, input) {
    const orgId = scimOrgOf(ctx.principal);
    const resource = normalizeScimResource(input.body, "User") as unknown as Record<string, unknown>;
    const facts = readUserFacts(resource);
    requireUserName(facts.userName);
    const id = crypto.randomUUID();
    const linked = await linkScimMember(ctx, orgId, id, facts, assertUserNameFree(ctx.tx, orgId, facts.userName, null));
    const doc = storedUserDoc(resource);
    // A new User is in no group and holds no mapped grant yet: only its enterprise attributes
    // count. Its rules are read in the same round trip as the insert (pipelined, in order).
    const [[row], grants] = await Promise.all([
      ctx.tx
        .insert(scimUsers)
        .values({ id, orgId, userName: facts.userName, userNameKey: facts.userName.toLowerCase(), externalId: facts.externalId, active: facts.active, doc, userId: linked.userId, membershipId: linked.membershipId, signInEmail: linked.signInEmail })
        .returning(),
      syncScimGrants(ctx.tx, orgId, id, { membershipId: linked.membershipId, doc, isNew: true }),
    ]);
    return {
      result: { resource: renderScimUser(row!, []), invitation: linked.invitation },
      target: { type: "scim-user", id, label: facts.userName },
      metadata: { userName: facts.userName, membershipId: linked.membershipId, account: linked.kind, status: linked.status, signInEmail: linked.signInEmail, active: facts.active, grants },
    };
  },
});
