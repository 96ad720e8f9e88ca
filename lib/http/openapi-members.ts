import { z } from "zod";
import { MEMBER_SOURCES, MEMBER_STATUSES } from "@/lib/identity/list-members";
import { inviteMemberBodySchema, memberListApiQuerySchema, revokeMemberSessionsBodySchema, updateMemberBodySchema } from "./member-bodies";
import { body, json, queryParameters, responses } from "./openapi-supplier";

/* The member endpoints (issue 12): list, invite, read, change, remove, end sessions. */

const listParams: Record<keyof typeof memberListApiQuerySchema.shape, string> = {
  q: "Search: a substring of the email or name as the organization shows them (three characters or more), or a prefix of either (one or two).",
  sort: "Sort key: email (default), name, or status (then email).",
  status: "Only members in this status.",
  source: "Only members who came this way.",
  branchId: "Only members holding a role at this branch (exactly there).",
  roleId: "Only members holding this role somewhere.",
  mfa: "Only joined members with (on) or without (off) a second factor. An invited member matches neither.",
  noSignInDays: "Only joined members with no sign-in in this many days (1 to 3650). An invited member never matches.",
  cursor: "The `nextCursor` of the previous page.",
  before: "The `prevCursor` of the next page, to page backwards.",
  limit: "Page size.",
};

export const memberSchema = z.object({
  membershipId: z.uuid(),
  email: z.string().describe("What the inviter typed until the person accepts; their own address after."),
  name: z.string(),
  status: z.enum(MEMBER_STATUSES),
  source: z.enum(MEMBER_SOURCES),
  createdAt: z.string().describe("ISO 8601."),
  grants: z.array(z.object({ grantId: z.uuid(), roleId: z.uuid(), role: z.string(), branchId: z.uuid().nullable(), branch: z.string() })),
  mfa: z.enum(["on", "off"]).nullable().describe("Null until the person has joined."),
  lastSignInAt: z.string().nullable().describe("Null until the person has joined, or before their first sign-in."),
});
export const memberPageSchema = z.object({ data: z.array(memberSchema), nextCursor: z.string().nullable(), prevCursor: z.string().nullable() });
const memberRemovedSchema = z.object({ membershipId: z.uuid(), removed: z.literal(true) });
const sessionsRevokedSchema = z.object({ scope: z.enum(["organization", "everywhere"]), count: z.number().int().nullable() });

export function registerMemberSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(memberSchema, { id: "Member" });
  registry.add(memberPageSchema, { id: "MemberPage" });
  registry.add(memberRemovedSchema, { id: "MemberRemoved" });
  registry.add(sessionsRevokedSchema, { id: "MemberSessionsRevoked" });
}

export function buildMemberPaths(): Record<string, Record<string, unknown>> {
  const secured = { security: [{ bearerAuth: [] }] };
  const id = [{ name: "id", in: "path", required: true, description: "The member's (membership's) id.", schema: { type: "string", format: "uuid" } }];
  const manage = "Lacks users:manage at every branch where the member holds a role, or the member is the token's own.";
  return {
    "/api/v1/members": {
      get: {
        operationId: "listMembers",
        summary: "A keyset page of the members the token's member may read (users:read: the whole organization at the root, else members holding a grant in that subtree).",
        ...secured,
        parameters: queryParameters(memberListApiQuerySchema, listParams),
        responses: responses({ "200": json("A page of members.", "MemberPage") }, "Lacks users:read.", { body: false }),
      },
      post: {
        operationId: "inviteMember",
        summary: "Invites a person by email with one role at one branch (users:manage there; the role may carry only what the token's member holds). Audited as `member.created`.",
        description: "The member is `invited` until the person accepts the mailed link; the answer is the same whether or not the address already has an account. An admin-class role needs a second-factor step-up, so an API token is refused (403).",
        ...secured,
        requestBody: body(inviteMemberBodySchema),
        responses: responses({ "201": json("The invited member.", "Member") }, "Lacks users:manage at the branch, or the role carries more than the token's member holds.", { conflict: "This address is already a member." }),
      },
    },
    "/api/v1/members/{id}": {
      get: { operationId: "getMember", summary: "One member, with grants, MFA state and last sign-in.", ...secured, parameters: id, responses: responses({ "200": json("The member.", "Member") }, "Never: a member the token may not read is 404.", { body: false }) },
      patch: {
        operationId: "updateMember",
        summary: "Changes a member's name, status (`deactivated` ends their sessions here and revokes their API tokens in the same transaction; `active` reactivates) and/or replaces their whole grant set, in one command. Audited as `member.updated`.",
        description: "`grants` is the complete new set: grants already held are kept, others removed, new ones added, with the same no-escalation rule as POST /api/v1/grants. The name is the organization's to change only until the person joins.",
        ...secured,
        parameters: id,
        requestBody: body(updateMemberBodySchema),
        responses: responses({ "200": json("The member after the change.", "Member") }, manage),
      },
      delete: {
        operationId: "removeMember",
        summary: "Removes the membership with its grants and API tokens; the person's account and other organizations stay, and the history stays in the audit trail (`member.removed`).",
        ...secured,
        parameters: id,
        responses: responses({ "200": json("Removed.", "MemberRemoved") }, manage, { body: false }),
      },
    },
    "/api/v1/members/{id}/sessions/revoke": {
      post: {
        operationId: "revokeMemberSessions",
        summary: "Ends the member's sessions in this organization (default), or everywhere (only an organization that owns the account). Audited as `member.sessions.revoked`.",
        ...secured,
        parameters: id,
        requestBody: { ...body(revokeMemberSessionsBodySchema), required: false },
        responses: responses({ "200": json("The sessions were ended.", "MemberSessionsRevoked") }, manage),
      },
    },
  };
}
