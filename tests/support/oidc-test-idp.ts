import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Configuration } from "oidc-provider";

/**
 * A real OpenID Provider (oidc-provider) on loopback, for the SSO tests. Its login page signs in
 * whoever the test put in `nextLogin` at once (no form), with the amr/acr given, and grants the
 * scopes asked for, so a test drives the whole code flow over HTTP as a browser would.
 */
export interface TestIdpUser {
  sub: string;
  email?: string;
  name?: string;
  groups?: string[];
  amr?: string[];
  acr?: string;
  /** Extra claims (Entra's tid/oid/hasgroups, an org's own). */
  extra?: Record<string, unknown>;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  nextLogin: TestIdpUser | null;
  /** A new signing key (new kid) from now on, as an IdP's key rotation. */
  rotateKeys(): Promise<void>;
  close(): Promise<void>;
}

async function signingKey() {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: crypto.randomUUID(), alg: "RS256", use: "sig" };
}

export async function startTestIdp({ redirectUri, clientId = "countersign", clientSecret = "idp-client-secret-0123456789" }: { redirectUri: string; clientId?: string; clientSecret?: string }): Promise<TestIdp> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => handler?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const users = new Map<string, TestIdpUser>();
  const idp: TestIdp = {
    issuer,
    clientId,
    clientSecret,
    nextLogin: null,
    async rotateKeys() {
      build(await signingKey());
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const build = (key: Awaited<ReturnType<typeof signingKey>>) => {
    const config: Configuration = {
      clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], response_types: ["code"], grant_types: ["authorization_code"], token_endpoint_auth_method: "client_secret_basic" }],
      jwks: { keys: [key] },
      cookies: { keys: ["test-idp-cookie-key"] },
      claims: { openid: ["sub", "amr", "acr", "groups", "tid", "oid", "hasgroups", "roles"], email: ["email", "email_verified"], profile: ["name"] },
      conformIdTokenClaims: false,
      // Stated so the provider does not log a notice for each default it falls back to.
      ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      async findAccount(_ctx, sub) {
        const user = users.get(sub);
        if (!user) return undefined;
        return { accountId: sub, claims: async () => ({ sub, email: user.email, email_verified: true, name: user.name, groups: user.groups, ...user.extra }) };
      },
      // Every scope asked for is granted: the tests are not about the IdP's consent screen.
      async loadExistingGrant(ctx) {
        const accountId = ctx.oidc.session!.accountId!;
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId });
        grant.addOIDCScope(String(ctx.oidc.params!.scope ?? "openid"));
        grant.addOIDCClaims(["amr", "acr", "sub", "email", "email_verified", "name", "groups", "tid", "oid", "hasgroups", "roles"]);
        await grant.save();
        return grant;
      },
    };
    const provider = new Provider(issuer, config);
    const callback = provider.callback();
    handler = (req, res) => {
      if (!req.url?.startsWith("/interaction/")) return void callback(req, res);
      void (async () => {
        await provider.interactionDetails(req, res);
        const user = idp.nextLogin;
        if (!user) {
          res.writeHead(401).end("no test user to sign in");
          return;
        }
        users.set(user.sub, user);
        await provider.interactionFinished(req, res, { login: { accountId: user.sub, amr: user.amr, acr: user.acr } }, { mergeWithLastSubmission: false });
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
    };
  };
  build(await signingKey());
  return idp;
}

/**
 * Follows a sign-in through the IdP as a browser would (its cookies kept), and returns the query
 * the IdP sends to our callback: the URL the browser would then load.
 */
export async function followToCallback(authorizationUrl: string, redirectUri: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { redirect: "manual", headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = response.headers.get("location");
    if (!location) throw new Error(`The IdP answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) return next.search;
    url = next.href;
  }
  throw new Error("too many redirects at the IdP");
}
