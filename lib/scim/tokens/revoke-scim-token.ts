import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { scimTokens } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";

export const revokeScimTokenSchema = z.object({ tokenId: z.uuid({ message: "must be a SCIM token id" }) });

/** Stops a SCIM token at once: the next request with it is 401. Another org's token is "not found". */
export const revokeScimTokenCommand = defineCommand({
  name: "scim.token.revoked",
  description: "A SCIM token was revoked; the IdP's next request with it is refused.",
  access: { permission: "org:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: revokeScimTokenSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("org:manage", "");
    const [token] = await tx.select().from(scimTokens).where(and(eq(scimTokens.orgId, orgId), eq(scimTokens.id, input.tokenId)));
    if (!token) notFound("SCIM token");
    if (token.revokedAt) throw new ConflictError(`SCIM token "${token.name}" is already revoked.`);
    await tx.update(scimTokens).set({ revokedAt: sql`now()` }).where(and(eq(scimTokens.id, token.id), isNull(scimTokens.revokedAt)));
    return { result: { id: token.id }, target: { type: "scim-token", id: token.id, label: token.name }, metadata: { name: token.name, prefix: token.prefix } };
  },
});
