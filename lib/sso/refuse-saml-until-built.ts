import { ValidationError } from "@/lib/core/errors";

/**
 * SAML sign-in is not built yet (docs/adr/0014), so the dashboard and REST refuse to add a SAML
 * connection that nobody could sign in through. The one call to drop when lib/sso/saml lands.
 */
export function refuseSamlUntilBuilt(body: unknown): void {
  const protocol = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>).protocol : undefined;
  if (protocol === "saml") throw new ValidationError({ protocol: ["SAML connections cannot be added yet; add an OIDC connection (protocol \"oidc\") instead"] });
}
