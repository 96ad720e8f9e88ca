import { runCommand } from "@/lib/core/command";
import { revokeMemberSessionsBodySchema } from "@/lib/http/member-bodies";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** POST /api/v1/members/{id}/sessions/revoke { scope?: "organization" | "everywhere" }: the body may be empty. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const hasBody = Number(request.headers.get("content-length") ?? 0) > 0 || request.headers.has("content-type");
  const body = parseBody(revokeMemberSessionsBodySchema, hasBody ? await readJsonBody(request) : {});
  return respondJson(await runCommand(revokeMemberSessionsCommand, principal, meta, { ...body, membershipId: id }, db));
});
