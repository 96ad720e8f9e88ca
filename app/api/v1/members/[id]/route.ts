import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { updateMemberBodySchema } from "@/lib/http/member-bodies";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { getMemberRow } from "@/lib/identity/get-member";
import { removeMemberCommand } from "@/lib/identity/remove-member";
import { updateMemberCommand } from "@/lib/identity/update-member";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/members/{id}: one member the token's member may read, else 404 (another org's and a hidden one alike). */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: Params) => {
  const { id } = await params;
  const member = await readAs(principal, (tx) => getMemberRow(tx, principal, id), db);
  if (!member) throw new NotFoundError("Member");
  return respondJson(member);
});

/** PATCH /api/v1/members/{id} { name?, status?: "active" | "deactivated", grants?: [{ roleId, branchId? }] }: one command, one transaction. */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = parseBody(updateMemberBodySchema, await readJsonBody(request));
  await runCommand(updateMemberCommand, principal, meta, { ...body, membershipId: id }, db);
  const member = await readAs(principal, (tx) => getMemberRow(tx, principal, id), db);
  if (!member) throw new NotFoundError("Member");
  return respondJson(member);
});

/** DELETE /api/v1/members/{id}: removes the membership; its history stays in the audit trail. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  return respondJson(await runCommand(removeMemberCommand, principal, meta, { membershipId: id }, db));
});
