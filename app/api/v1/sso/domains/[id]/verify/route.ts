import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { findSsoSetting } from "@/lib/sso/find-sso-setting";
import { verifyDomainCommand } from "@/lib/sso/verify-domain";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** POST /api/v1/sso/domains/{id}/verify: looks up the domain's TXT record; found, the org owns the accounts at it. */
export const POST = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  await readAs(principal, (tx) => findSsoSetting(tx, principal, "domains", id), db);
  return respondJson(await runCommand(verifyDomainCommand, principal, meta, { domainId: id }, db));
});
