import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { confirmIdentityLinkCommand } from "@/lib/sso/complete-identity-link";
import { startIdentityLinkCommand } from "@/lib/sso/start-identity-link";
import { makeMember, meta, TEST_PASSWORD } from "./factories";
import { postToAcs } from "./saml-fixtures";
import type { SamlTestIdp } from "./saml-test-idp";

type SamlWorld = { org: { operator: Principal }; connection: { id: string }; domain: string };

/** A member's principal with a live session that passed a second factor just now (or not). */
export function withSession(principal: Principal, { mfa = true } = {}): Principal {
  return { ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: mfa ? new Date() : null } };
}

/** A password member of the world's org, stepped up, who starts linking at its SAML connection. */
export async function startSamlLink(world: SamlWorld) {
  const member = await makeMember(world.org.operator, { email: `pw-${crypto.randomUUID().slice(0, 8)}@elsewhere.test` });
  const me = withSession(member.principal);
  const started = await runCommand(startIdentityLinkCommand, me, meta, { connectionId: world.connection.id, password: TEST_PASSWORD });
  return { member, me, started };
}

/** The whole link: started, answered by the IdP as a fresh NameID, confirmed by the person. */
export async function linkThroughSaml(idp: SamlTestIdp, world: SamlWorld) {
  const { me, started } = await startSamlLink(world);
  const request = idp.readRequest(started.redirectUrl);
  const nameId = `link-${crypto.randomUUID().slice(0, 8)}@${world.domain}`;
  const answer = await postToAcs(world.connection.id, idp.respond({ nameId, attributes: { email: nameId } }, { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState }));
  if (answer.purpose !== "link") throw new Error("expected a link answer");
  const linked = await runCommand(confirmIdentityLinkCommand, me, meta, { flowId: answer.flowId });
  return { ...linked, me, subject: nameId };
}
