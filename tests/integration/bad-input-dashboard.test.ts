import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { makeMember, makeOrg } from "../support/factories";

/**
 * The dashboard's pages and its export route take the organization from the path
 * (/orgs/{org}/…) and look the member up by it before anything else: a slug PostgreSQL cannot
 * compare (NUL) must be "no such organization" (404), not an error on every page.
 */
describe("No input reaches a 5xx: NUL bytes and lone surrogates in the dashboard's organization path", () => {
  it("an org slug holding NUL or a lone surrogate is simply not an organization of the member", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator);
    const actor = { type: "user" as const, userId: member.userId, label: member.email };
    for (const slug of ["\u0000", `${org.slug}\u0000`, "\ud800"]) expect(await loadMemberPrincipal(getDb(), actor, slug), JSON.stringify(slug)).toBeNull();
    expect((await loadMemberPrincipal(getDb(), actor, org.slug))?.org?.id).toBe(org.id);
  });
});
