import { and, eq } from "drizzle-orm";
import { ssoConnections } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { connectionIdSchema } from "./schemas";

/**
 * Removes a connection with its identities, flows, mapping rules and the record of which grants
 * the rules made (the grants themselves stay, as hand-made ones now). Its domains stay verified
 * and owned, unrouted, so deleting a connection never gives up the org's accounts.
 */
export const deleteConnectionCommand = defineCommand({
  name: "sso.connection.deleted",
  description: "An SSO connection was deleted with its identities and mapping rules; its domains stay verified (and owned) without a connection, and the grants its rules made stay as ordinary grants.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: connectionIdSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [row] = await tx.delete(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, input.connectionId))).returning({ id: ssoConnections.id, name: ssoConnections.name, protocol: ssoConnections.protocol });
    if (!row) notFound("Connection");
    return { result: { id: row.id, deleted: true }, target: { type: "sso_connection", id: row.id }, metadata: { before: { name: row.name, protocol: row.protocol } } };
  },
});
