import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import * as client from "openid-client";
import { openSecret } from "@/lib/mfa/secret-box";
import type { SsoConnectionRow } from "../load-connection";
import { allowsInsecureHttp } from "../schemas";

/**
 * The openid-client configuration for a connection: discovery from its issuer (the discovered
 * `issuer` must equal it exactly, which is how a tenant-specific Entra issuer is pinned), the
 * client secret opened from its seal, client_secret_basic. Built per connection and cached for
 * DISCOVERY_TTL_MS, so a warm callback neither re-runs discovery nor re-fetches the JWKS.
 *
 * openid-client trusts an ID token from the token endpoint on TLS alone (OIDC Core 3.1.3.7), and
 * its own signature check (enableNonRepudiationChecks) re-fetches the JWKS for an unknown `kid`
 * only once its copy is a minute old, after the code is spent. So the signature is verified here
 * with jose's remote key set instead, which re-fetches at once for a new `kid`: an IdP that rotates its key is followed on the next sign-in.
 */
const DISCOVERY_TTL_MS = 10 * 60 * 1000;
const HTTP_TIMEOUT_SECONDS = 10;

// No cool-down: an ID token reaches the check only from the IdP's token endpoint, over the
// back channel we authenticate to, once per flow; so a `kid` we do not know costs one re-fetch
// per real sign-in, never per request an outsider can send.
const JWKS_COOLDOWN_MS = 0;

export interface OidcClient {
  config: client.Configuration;
  keys: JWTVerifyGetKey;
}

const cache = new Map<string, OidcClient & { expires: number }>();

export async function oidcConfigFor(connection: SsoConnectionRow, now = Date.now()): Promise<OidcClient> {
  if (!connection.issuer || !connection.clientId || !connection.clientSecretSealed) throw new Error(`SSO connection ${connection.id} is not an OIDC connection.`);
  // The seal is part of the key: a rotated secret or a changed issuer builds a new configuration.
  const key = `${connection.id}\n${connection.issuer}\n${connection.clientId}\n${connection.clientSecretSealed}`;
  const hit = cache.get(key);
  if (hit && hit.expires > now) return hit;
  const secret = openSecret(connection.clientSecretSealed, connection.id);
  const insecure = allowsInsecureHttp() && new URL(connection.issuer).protocol === "http:";
  const config = await client.discovery(new URL(connection.issuer), connection.clientId, { client_secret: secret }, client.ClientSecretBasic(secret), {
    execute: insecure ? [client.allowInsecureRequests] : [],
    timeout: HTTP_TIMEOUT_SECONDS,
  });
  config.timeout = HTTP_TIMEOUT_SECONDS;
  const jwksUri = config.serverMetadata().jwks_uri;
  if (!jwksUri) throw new Error(`The IdP at ${connection.issuer} publishes no jwks_uri.`);
  const keys = createRemoteJWKSet(new URL(jwksUri), { cooldownDuration: JWKS_COOLDOWN_MS, timeoutDuration: HTTP_TIMEOUT_SECONDS * 1000 });
  const built = { config, keys, expires: now + DISCOVERY_TTL_MS };
  cache.set(key, built);
  return built;
}

/** Tests reset between IdPs that reuse a port. */
export function forgetOidcConfigs(): void {
  cache.clear();
}

/** Asymmetric signatures only: never `none`, never an HMAC keyed with the client secret. */
export const ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];
