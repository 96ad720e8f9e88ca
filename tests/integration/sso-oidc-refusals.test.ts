import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { followToCallback } from "../support/oidc-test-idp";
import { startRogueIdp, type RogueFault, type RogueIdp } from "../support/rogue-oidc-idp";
import { addRule, allowLoopbackIdps, completeCallback, orgWithOidc, startFlow } from "../support/sso-fixtures";
import { auditRows } from "./one-time-links";

let idp: RogueIdp;
let world: Awaited<ReturnType<typeof orgWithOidc>>;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startRogueIdp();
  world = await orgWithOidc(idp);
  await addRule(world.org.operator, world.connection.id, "groups", "staff", "Buyer");
});
afterAll(() => idp.close());

async function attempt(fault: RogueFault) {
  idp.fault = fault;
  idp.claims = { sub: `rogue-${crypto.randomUUID()}`, email: `p-${crypto.randomUUID().slice(0, 8)}@${world.domain}`, groups: ["staff"] };
  return completeCallback(await followToCallback(await startFlow({ connectionId: world.connection.id }), oidcRedirectUri()));
}

async function lastRefusal() {
  const rows = await auditRows("auth.sso.failed");
  return rows.at(-1)!.metadata;
}

describe("SSO (OIDC): every token fault is refused and audited", () => {
  it("the same IdP without a fault signs in (so each refusal below is the fault's)", async () => {
    await expect(attempt("none")).resolves.toMatchObject({ purpose: "sign-in" });
  });

  const cases: Array<[RogueFault, string, RegExp]> = [
    ["wrong-iss", "Reject a bad `iss`", /iss/i],
    ["wrong-aud", "Reject a bad `aud`", /aud/i],
    ["bad-signature", "Reject a bad signature", /signature|JWS|verif/i],
    ["expired", "Reject a bad `exp`", /exp|timestamp/i],
    ["wrong-nonce", "Reject a bad `nonce`", /nonce/i],
    ["alg-none", "Reject `alg: none`", /alg/i],
    ["userinfo-sub", "Reject a UserInfo `sub` that differs from the ID token's", /sub/i],
  ];
  for (const [fault, line, why] of cases) {
    it(`${line} (${fault})`, async () => {
      await expect(attempt(fault)).rejects.toMatchObject({ code: "unauthorized", message: "Single sign-on did not succeed." });
      const refusal = await lastRefusal();
      expect(refusal).toMatchObject({ reason: "token-rejected", connectionId: world.connection.id });
      expect(String(refusal.error)).toMatch(why);
      expect(JSON.stringify(refusal)).not.toContain("eyJ");
    });
  }
});
