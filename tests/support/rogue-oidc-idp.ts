import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";

/**
 * An OpenID Provider that misbehaves on purpose, one way at a time, for the refusal tests: it
 * answers discovery, authorization, token, UserInfo and JWKS like a real one, but the ID token
 * (or the UserInfo answer) it issues carries exactly the fault named by `fault`.
 */
export type RogueFault = "none" | "wrong-iss" | "wrong-aud" | "bad-signature" | "expired" | "wrong-nonce" | "alg-none" | "userinfo-sub";

export interface RogueIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  fault: RogueFault;
  claims: Record<string, unknown>;
  close(): Promise<void>;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export async function startRogueIdp(): Promise<RogueIdp> {
  const signing = await generateKeyPair("RS256");
  const stranger = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: "rogue-1", alg: "RS256", use: "sig" };
  const nonces = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    void handle(req.url ?? "/", req.headers.authorization ?? "").then(
      ({ status, body, location }) => {
        res.writeHead(status, { "content-type": "application/json", ...(location ? { location } : {}) });
        res.end(body);
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp: RogueIdp = { issuer, clientId: "rogue-client", clientSecret: "rogue-secret-0123456789", fault: "none", claims: {}, close: () => new Promise((r) => server.close(() => r())) };

  const idToken = async (nonce: string) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: idp.fault === "wrong-iss" ? `${issuer}/other` : issuer,
      aud: idp.fault === "wrong-aud" ? "someone-else" : idp.clientId,
      nonce: idp.fault === "wrong-nonce" ? "not-the-nonce" : nonce,
      iat: idp.fault === "expired" ? now - 7200 : now,
      exp: idp.fault === "expired" ? now - 3600 : now + 300,
      ...idp.claims,
    };
    if (idp.fault === "alg-none") return `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
    const key: CryptoKey = idp.fault === "bad-signature" ? stranger.privateKey : signing.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: "rogue-1" }).sign(key);
  };

  async function handle(path: string, authorization: string): Promise<{ status: number; body: string; location?: string }> {
    const url = new URL(path, issuer);
    switch (url.pathname) {
      case "/.well-known/openid-configuration":
        return {
          status: 200,
          body: JSON.stringify({
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            userinfo_endpoint: `${issuer}/userinfo`,
            jwks_uri: `${issuer}/jwks`,
            response_types_supported: ["code"],
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: ["RS256"],
            code_challenge_methods_supported: ["S256"],
          }),
        };
      case "/jwks":
        return { status: 200, body: JSON.stringify({ keys: [jwk] }) };
      case "/authorize": {
        const code = crypto.randomUUID();
        nonces.set(code, url.searchParams.get("nonce") ?? "");
        const back = new URL(url.searchParams.get("redirect_uri")!);
        back.searchParams.set("code", code);
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        return { status: 302, body: "", location: back.href };
      }
      case "/token": {
        if (!authorization.startsWith("Basic ")) return { status: 401, body: JSON.stringify({ error: "invalid_client" }) };
        // The body is not read: this IdP accepts any code it issued (the faults are in the token).
        const nonce = [...nonces.values()].at(-1) ?? "";
        return { status: 200, body: JSON.stringify({ access_token: "rogue-access-token", token_type: "Bearer", expires_in: 300, id_token: await idToken(nonce) }) };
      }
      case "/userinfo":
        return { status: 200, body: JSON.stringify({ ...idp.claims, sub: idp.fault === "userinfo-sub" ? "someone-else" : idp.claims.sub }) };
      default:
        return { status: 404, body: "{}" };
    }
  }
  return idp;
}
