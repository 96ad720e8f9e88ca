import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ssoConnections, ssoIdentities } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { requireSession } from "@/lib/identity/sessions";

export interface OwnSsoLinks {
  /** The org's enabled connections the person may link to (those without an identity of theirs). */
  linkable: Array<{ id: string; name: string; protocol: string }>;
  /** Their identities at the org's connections: which connection, since when (the subject is the IdP's). */
  linked: Array<{ id: string; connectionName: string; subject: string; linkedAt: Date; lastSignInAt: Date | null }>;
}

/** For the person's own security page: their identities at one org's connections, and what else they could link. */
export async function listOwnSsoLinks(tx: Executor, principal: Principal): Promise<OwnSsoLinks> {
  const { userId } = requireSession(principal);
  const orgId = principal.org?.id;
  if (!orgId) return { linkable: [], linked: [] };
  const connections = await tx.select({ id: ssoConnections.id, name: ssoConnections.name, protocol: ssoConnections.protocol, enabled: ssoConnections.enabled }).from(ssoConnections).where(eq(ssoConnections.orgId, orgId)).orderBy(asc(ssoConnections.name), asc(ssoConnections.id)).limit(200);
  const identities = await tx.select().from(ssoIdentities).where(and(eq(ssoIdentities.orgId, orgId), eq(ssoIdentities.userId, userId))).limit(200);
  const nameOf = new Map(connections.map((c) => [c.id, c.name]));
  const linkedIds = new Set(identities.map((i) => i.connectionId));
  return {
    linkable: connections.filter((c) => c.enabled && !linkedIds.has(c.id)).map(({ id, name, protocol }) => ({ id, name, protocol })),
    linked: identities.map((i) => ({ id: i.id, connectionName: nameOf.get(i.connectionId) ?? "(a deleted connection)", subject: i.subject, linkedAt: i.createdAt, lastSignInAt: i.lastSignInAt })),
  };
}
