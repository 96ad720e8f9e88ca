import { z } from "zod";
import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { findSsoSetting } from "@/lib/sso/find-sso-setting";
import { verifyDomainCommand } from "@/lib/sso/verify-domain";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

// No fields: a body, when sent, must be an empty object (anything else is a mistake worth naming).
const noFields = z.strictObject({});

/** POST /api/v1/sso/domains/{id}/verify: looks up the domain's TXT record; found, the org owns the accounts at it. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  parseBody(noFields, request.body === null || request.headers.get("content-length") === "0" ? {} : await readJsonBody(request));
  await readAs(principal, (tx) => findSsoSetting(tx, principal, "domains", id), db);
  return respondJson(await runCommand(verifyDomainCommand, principal, meta, { domainId: id }, db));
});
