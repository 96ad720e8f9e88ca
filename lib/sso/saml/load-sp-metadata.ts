import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ssoConnections } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { samlSpMetadataXml } from "./saml-sp";

/**
 * A SAML connection's SP metadata, for its IdP's administrator: public by design (entity id, ACS
 * URL, nothing secret), so it is read across orgs by the connection's random id. Null for an id
 * that is not a SAML connection, which the route answers 404.
 */
export async function loadSamlSpMetadata(connectionId: string): Promise<string | null> {
  if (!z.uuid().safeParse(connectionId).success) return null;
  const [connection] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) => tx.select().from(ssoConnections).where(and(eq(ssoConnections.id, connectionId), eq(ssoConnections.protocol, "saml"))));
  return connection ? samlSpMetadataXml(connection) : null;
}
