import { runCommand } from "@/lib/core/command";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { makeBranch, makeOrg, meta, unique } from "./factories";
import { makeScimToken } from "./scim-client";
import { addRule } from "./sso-fixtures";

/**
 * An org as an IdP provisions it: an SSO connection owning `<slug>.test`, a Sales branch, mapping
 * rules (group "Buyers" → Buyer at the root; department "Sales" → Viewer at Sales) and a SCIM token.
 */
export async function scimWorld(name = "Scim Co") {
  const org = await makeOrg(name);
  const sales = await makeBranch(org.operator, "Sales");
  const connection = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" });
  const domain = `${org.slug}.test`;
  await runCommand(addDomainCommand, org.operator, meta, { connectionId: connection.id, domain, verifiedByOperator: true });
  await addRule(org.operator, connection.id, "groups", "Buyers", "Buyer");
  await addRule(org.operator, connection.id, "department", "Sales", "Viewer", sales.id);
  const token = await makeScimToken(org.operator, "Okta");
  return { org, sales, connection, domain, token: token.token, tokenId: token.id };
}

/** A SCIM User body as Okta's test specification sends it (with the enterprise extension when asked). */
export function oktaUser(domain: string, { userName = `${unique("u")}@${domain}`, email = userName, active = true, department }: { userName?: string; email?: string; active?: boolean; department?: string } = {}) {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ...(department ? ["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] : [])],
    userName,
    name: { givenName: "Test", familyName: "User" },
    emails: [{ primary: true, value: email, type: "work" }],
    displayName: "Test User",
    locale: "en-US",
    externalId: unique("00u"),
    groups: [],
    password: "1mP@ssw0rd",
    active,
    ...(department ? { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department } } : {}),
  };
}
