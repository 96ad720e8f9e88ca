import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, roles, ssoConnections, ssoDomains, ssoMappings } from "@/db/schema";
import { can } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { oidcRedirectUri, samlAcsUrl, samlEntityId } from "./connection-urls";
import { verificationRecordName, verificationRecordValue } from "./dns-resolver";

export interface ConnectionSummary {
  id: string;
  protocol: string;
  preset: string;
  name: string;
  enabled: boolean;
  issuer: string | null;
  clientId: string | null;
  mfaPolicy: string;
  allowIdpInitiated: boolean;
  redirectUri?: string;
  acsUrl?: string;
  entityId?: string;
  /** SAML: whether AuthnRequests are signed, whether the IdP's metadata demands it, whether encryption is required. */
  signAuthnRequests?: boolean;
  idpWantsSignedRequests?: boolean;
  requireEncryptedAssertions?: boolean;
}

/**
 * The org's SSO settings for its administrators (sso:manage): connections (never the secret),
 * domains with their TXT record and status, mapping rules. An org has a handful of each, so the
 * lists are read whole (bounded by LIMIT all the same).
 */
export async function listSsoSettings(tx: Executor, principal: Principal) {
  const orgId = principal.org?.id;
  if (!orgId || !can(principal.access, "sso:manage", "")) throw new ForbiddenError(undefined, "sso:manage");
  const connections = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, orgId)).orderBy(asc(ssoConnections.name), asc(ssoConnections.id)).limit(200);
  const domains = await tx.select().from(ssoDomains).where(eq(ssoDomains.orgId, orgId)).orderBy(asc(ssoDomains.domain), asc(ssoDomains.id)).limit(1000);
  const mappings = await tx
    .select({ m: ssoMappings, role: roles.name, branch: branches.name })
    .from(ssoMappings)
    .innerJoin(roles, eq(roles.id, ssoMappings.roleId))
    .leftJoin(branches, eq(branches.id, ssoMappings.branchId))
    .where(eq(ssoMappings.orgId, orgId))
    .orderBy(asc(ssoMappings.createdAt), asc(ssoMappings.id))
    .limit(1000);
  return {
    connections: connections.map(
      (c): ConnectionSummary => ({
        id: c.id,
        protocol: c.protocol,
        preset: c.preset,
        name: c.name,
        enabled: c.enabled,
        issuer: c.protocol === "oidc" ? c.issuer : c.idpEntityId,
        clientId: c.clientId,
        mfaPolicy: c.mfaPolicy,
        allowIdpInitiated: c.allowIdpInitiated,
        ...(c.protocol === "oidc"
          ? { redirectUri: oidcRedirectUri() }
          : { acsUrl: samlAcsUrl(c.id), entityId: samlEntityId(c.id), signAuthnRequests: c.signAuthnRequests, idpWantsSignedRequests: c.idpWantsSignedRequests, requireEncryptedAssertions: c.requireEncryptedAssertions }),
      }),
    ),
    domains: domains.map((d) => ({
      id: d.id,
      connectionId: d.connectionId,
      domain: d.domain,
      verified: d.verifiedAt !== null,
      verifiedBy: d.verifiedBy,
      txtRecord: { name: verificationRecordName(d.domain), value: verificationRecordValue(d.verificationToken) },
    })),
    mappings: mappings.map(({ m, role, branch }) => ({ id: m.id, connectionId: m.connectionId, claim: m.claim, value: m.value, roleId: m.roleId, role, branchId: m.branchId, branch })),
  };
}
