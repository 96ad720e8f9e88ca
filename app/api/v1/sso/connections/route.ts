import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { listSsoSettings } from "@/lib/sso/list-connections";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";

export const dynamic = "force-dynamic";

/** GET /api/v1/sso/connections: the org's connections (sso:manage at the root), never a secret. */
export const GET = withApiPrincipal(async ({ principal, db }) => {
  const settings = await readAs(principal, (tx) => listSsoSettings(tx, principal), db);
  return respondJson({ data: settings.connections });
});

/**
 * POST /api/v1/sso/connections: adds an OIDC connection by discovery, or (`protocol: "saml"`) a
 * SAML one from the IdP's metadata, `metadataUrl` or `metadataXml`. A sign-in configuration
 * change needs a second-factor step-up, so an API token is refused with 403 (as for admin-class
 * grants).
 */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const body = await readJsonBody(request);
  if (isPlainObject(body) && body.protocol === "saml") {
    // SAML connections are made only from metadata, never from certificates sent as fields.
    const metadata = Object.fromEntries(Object.entries(body).filter(([key]) => key !== "protocol"));
    return respondJson(await createSamlConnection(principal, meta, metadata, db), 201);
  }
  return respondJson(await runCommand(createConnectionCommand, principal, meta, body, db), 201);
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
