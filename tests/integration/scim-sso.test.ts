import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { makeMember, unique } from "../support/factories";
import { startTestIdp, type TestIdp } from "../support/oidc-test-idp";
import { callScim, makeScimToken } from "../support/scim-client";
import { oktaUser } from "../support/scim-world";
import { memberPrincipalFor } from "../support/sign-in-helpers";
import { addRule, allowLoopbackIdps, orgWithOidc, ssoSignIn } from "../support/sso-fixtures";

let idp: TestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
});
afterAll(async () => idp.close());

describe("SCIM and SSO", () => {
  it("a SCIM-provisioned person signs in through the org's SSO at once, and loses that session on the next request after active:false", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    const { token } = await makeScimToken(org.operator);
    const email = `${unique("new")}@${domain}`;
    const created = await callScim(userList.POST, token, "POST", "/Users", { body: oktaUser(domain, { userName: email }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    // No mapping rule matches these claims: SCIM owns the member's grants, so that is no refusal.
    const signedIn = await ssoSignIn(idp, connection.id, { sub: unique("sub"), email, groups: [] });
    expect(signedIn.purpose).toBe("sign-in");
    const sessionToken = (signedIn as { sessionToken: string }).sessionToken;
    expect((await memberPrincipalFor(sessionToken, org.slug)).org?.id).toBe(org.id);
    const patched = await callScim(userItem.PATCH, token, "PATCH", `/Users/${id}`, {
      params: { id },
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] },
    });
    expect(patched.status).toBe(200);
    await expect(memberPrincipalFor(sessionToken, org.slug)).rejects.toThrow("not a member");
    // And signing in again is refused while deactivated.
    await expect(ssoSignIn(idp, connection.id, { sub: unique("sub2"), email, groups: [] })).rejects.toMatchObject({ auditDetail: { reason: "member-deactivated" } });
  });

  it("SSO still never reaches an existing account SCIM did not provision here by email", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "staff", "Buyer");
    const member = await makeMember(org.operator, { email: `${unique("manual")}@${domain}` });
    await expect(ssoSignIn(idp, connection.id, { sub: unique("sub"), email: member.email, groups: ["staff"] })).rejects.toMatchObject({ auditDetail: { reason: "account-exists-link-required" } });
  });
});
