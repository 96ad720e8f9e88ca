import { randomBytes } from "node:crypto";
import type { SsoConnectionRow } from "../load-connection";
import { samlServiceProvider } from "./saml-sp";

/**
 * An AuthnRequest for the HTTP-Redirect binding: a fresh request id (kept in the flow, so the
 * response's InResponseTo can be checked in PostgreSQL) and the flow's state as RelayState, the
 * way OIDC carries its state. "Test connection" and linking set ForceAuthn, like OIDC's prompt=login. A
 * connection that signs its requests adds SigAlg and Signature (the redirect binding's signature).
 */
export async function buildSamlAuthnRequest(connection: SsoConnectionRow, state: string, purpose: "sign-in" | "test" | "link"): Promise<{ url: string; requestId: string }> {
  // An xsd:ID must not start with a digit; 160 random bits.
  const requestId = `_${randomBytes(20).toString("hex")}`;
  const url = await samlServiceProvider(connection, { forceAuthn: purpose !== "sign-in", requestId, sign: true }).getAuthorizeUrlAsync(state, undefined, {});
  return { url, requestId };
}
