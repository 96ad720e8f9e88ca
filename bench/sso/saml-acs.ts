/**
 * The SAML half of bench/sso.ts: the ACS command (use up the flow, node-saml's signature and
 * assertion checks, ours on the signed XML, replay cache, identity, mapping, session, audit)
 * against responses signed by the samlify test IdP, for people signing in the second time. Its
 * peer is node-saml's validatePostResponseAsync alone on the same kind of response, no database:
 * the work any SP must do. Responses are signed before the clock starts.
 */
import { performance } from "node:perf_hooks";
import { and, eq } from "drizzle-orm";
import { roles } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { findConnection } from "@/lib/sso/load-connection";
import { completeSamlSignInCommand } from "@/lib/sso/saml/complete-saml-sign-in";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { samlServiceProvider } from "@/lib/sso/saml/saml-sp";
import { startSsoCommand } from "@/lib/sso/start-sso";
import { startSamlTestIdp } from "../../tests/support/saml-test-idp";

export async function benchSamlAcs(operator: Principal, meta: RequestMeta, signins: number): Promise<{ acs: number[]; peer: number[] }> {
  const idp = await startSamlTestIdp();
  try {
    const orgId = operator.org!.id;
    const connection = await createSamlConnection(operator, meta, { metadataXml: idp.metadataXml() });
    await runCommand(addDomainCommand, operator, meta, { connectionId: connection.id, domain: "saml-bench.test", verifiedByOperator: true });
    const [buyer] = await withTenantScope({ orgId, userId: null, bypass: true }, (tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, "Buyer"))));
    await runCommand(addMappingCommand, operator, meta, { connectionId: connection.id, claim: "groups", value: "staff", roleId: buyer!.id });
    const person = (i: number) => ({ nameId: `s${i}@saml-bench.test`, attributes: { email: `s${i}@saml-bench.test`, groups: ["staff"] } });
    const respondTo = async (i: number) => {
      const started = await runCommand(startSsoCommand, anonymousPrincipal(), meta, { connectionId: connection.id });
      if (!("redirectUrl" in started)) throw new Error("chooser");
      const request = idp.readRequest(started.redirectUrl);
      return idp.respond(person(i), { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState });
    };
    const acsOnce = async (i: number) => {
      const posted = await respondTo(i);
      const t = performance.now();
      await runCommand(completeSamlSignInCommand, anonymousPrincipal(), meta, { connectionId: connection.id, samlResponse: posted.SAMLResponse, relayState: posted.RelayState });
      return performance.now() - t;
    };
    for (let i = 0; i < signins; i++) await acsOnce(i); // first sign-ins (JIT)
    const acs: number[] = [];
    for (let i = 0; i < signins; i++) acs.push(await acsOnce(i));

    const row = await withTenantScope({ orgId, userId: null, bypass: true }, (tx) => findConnection(tx, orgId, connection.id));
    const peer: number[] = [];
    for (let i = 0; i < signins; i++) {
      const posted = idp.respond(person(i), { acsUrl: connection.acsUrl, audience: connection.entityId, inResponseTo: null });
      const t = performance.now();
      await samlServiceProvider(row!).validatePostResponseAsync({ SAMLResponse: posted.SAMLResponse });
      peer.push(performance.now() - t);
    }
    return { acs, peer };
  } finally {
    await idp.close();
  }
}
