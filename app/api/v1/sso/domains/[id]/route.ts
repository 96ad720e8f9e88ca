import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { findSsoSetting } from "@/lib/sso/find-sso-setting";
import { removeDomainCommand } from "@/lib/sso/remove-domain";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** DELETE /api/v1/sso/domains/{id}: drops the claim; the org's last verified claim of a domain gives up its accounts. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  await readAs(principal, (tx) => findSsoSetting(tx, principal, "domains", id), db);
  return respondJson(await runCommand(removeDomainCommand, principal, meta, { domainId: id }, db));
});
