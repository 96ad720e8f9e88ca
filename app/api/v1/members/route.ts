import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { NotFoundError } from "@/lib/core/errors";
import { inviteMemberBodySchema, memberListApiQuerySchema } from "@/lib/http/member-bodies";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { getMemberRow } from "@/lib/identity/get-member";
import { listMembers } from "@/lib/identity/list-members";

export const dynamic = "force-dynamic";

/** GET /api/v1/members?q=&sort=&status=&source=&branchId=&roleId=&mfa=&cursor=&before=&limit=: a keyset page of the members the token's member may read (users:read). */
export const GET = withApiPrincipal(async ({ request, principal, db }) => {
  const query = parseQuery(memberListApiQuerySchema, new URL(request.url).searchParams);
  return respondJson(await readAs(principal, (tx) => listMembers(tx, principal, query), db));
});

/**
 * POST /api/v1/members { email, name?, roleName, branchId? }: invites a person with one role at one
 * branch (users:manage there), through the dashboard's command; the invitation is mailed once it
 * has committed. 201 with the member as the org now shows them (invited).
 */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const body = parseBody(inviteMemberBodySchema, await readJsonBody(request));
  const created = await runCommand(createMemberCommand, principal, meta, body, db);
  if (created.invitation) await deliverMessage(created.invitation.to, created.invitation.message);
  const member = await readAs(principal, (tx) => getMemberRow(tx, principal, created.membershipId), db);
  if (!member) throw new NotFoundError("Member");
  return respondJson(member, 201);
});
