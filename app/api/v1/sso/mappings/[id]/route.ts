import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { findSsoSetting } from "@/lib/sso/find-sso-setting";
import { removeMappingCommand } from "@/lib/sso/remove-mapping";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** DELETE /api/v1/sso/mappings/{id}: the grants it made go at each person's next sign-in. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  await readAs(principal, (tx) => findSsoSetting(tx, principal, "mappings", id), db);
  return respondJson(await runCommand(removeMappingCommand, principal, meta, { mappingId: id }, db));
});
