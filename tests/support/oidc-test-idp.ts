import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Configuration } from "oidc-provider";

/**
 * A real OpenID Provider (oidc-provider) on loopback, for the SSO tests. Its interaction renders a
 * real login form (username + password); the person it accepts is whoever the test put in
 * `nextLogin` (by sub or email) with TEST_IDP_PASSWORD, signed in with the amr/acr given. Consent is
 * auto-granted (every scope asked for), since the tests are not about the IdP's consent screen.
 * Playwright fills the form; followToCallback submits it over fetch as a browser would.
 */
export const TEST_IDP_PASSWORD = "idp-test-password";
/** Open IdPs by origin, so followToCallback (same process) knows whom to type into the form. */
const idpsByOrigin = new Map<string, TestIdp>();

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderLoginPage(uid: string, error?: string): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP: sign in</title></head><body>
<main><h1>Sign in to the test IdP</h1>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="${escapeHtml(action)}">
<label>Username <input name="login" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form></main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

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
    close: () => {
      idpsByOrigin.delete(issuer);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  idpsByOrigin.set(issuer, idp);

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
        const details = await provider.interactionDetails(req, res);
        if (req.method !== "POST") {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(renderLoginPage(details.uid));
          return;
        }
        const form = await readForm(req);
        const user = idp.nextLogin;
        const login = form.get("login") ?? "";
        if (!user || (login !== user.sub && login !== user.email) || form.get("password") !== TEST_IDP_PASSWORD) {
          res.writeHead(401, { "content-type": "text/html; charset=utf-8" }).end(renderLoginPage(details.uid, "Wrong username or password."));
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
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const response = await fetch(url, body ? { method: "POST", body, redirect: "manual", headers: { cookie } } : { redirect: "manual", headers: { cookie } });
    body = undefined;
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = response.headers.get("location");
    const idp = idpsByOrigin.get(new URL(url).origin);
    if (!location && response.status === 200 && idp && new URL(url).pathname.startsWith("/interaction/")) {
      // The IdP's login form: type the test's user in, as a person would.
      const user = idp.nextLogin;
      if (!user) throw new Error("The IdP asks for a login but the test set no nextLogin");
      url = new URL(`${new URL(url).pathname}/login`, url).href;
      body = new URLSearchParams({ login: user.sub, password: TEST_IDP_PASSWORD });
      continue;
    }
    if (!location) throw new Error(`The IdP answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
    const next = new URL(location, url);
    if (next.href.startsWith(redirectUri)) return next.search;
    url = next.href;
  }
  throw new Error("too many redirects at the IdP");
}
