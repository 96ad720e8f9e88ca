import { and, eq, isNotNull, ne } from "drizzle-orm";
import { ssoDomainOwners, ssoDomains } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { removeDomainSchema } from "./admin-schemas";

/**
 * Drops a claimed domain. When no other verified claim of this org holds the same domain, the org
 * stops owning the accounts at it (another org may then verify it): letting go is the only way
 * ownership moves (domain-ownership.ts).
 */
export const removeDomainCommand = defineCommand({
  name: "sso.domain.removed",
  description: "An SSO domain claim was removed; `ownershipReleased: true` when it was the org's last verified claim of that domain, so the org no longer owns the accounts at it.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: removeDomainSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [row] = await tx.delete(ssoDomains).where(and(eq(ssoDomains.orgId, orgId), eq(ssoDomains.id, input.domainId))).returning();
    if (!row) notFound("Domain");
    const [stillVerified] = await tx
      .select({ id: ssoDomains.id })
      .from(ssoDomains)
      .where(and(eq(ssoDomains.orgId, orgId), eq(ssoDomains.domain, row.domain), isNotNull(ssoDomains.verifiedAt), ne(ssoDomains.id, row.id)))
      .limit(1);
    const released = row.verifiedAt !== null && !stillVerified;
    if (released) await tx.delete(ssoDomainOwners).where(and(eq(ssoDomainOwners.orgId, orgId), eq(ssoDomainOwners.domain, row.domain)));
    return {
      result: { id: row.id, removed: true, ownershipReleased: released },
      target: { type: "sso_domain", id: row.id, label: row.domain },
      metadata: { before: { domain: row.domain, connectionId: row.connectionId, verifiedBy: row.verifiedBy }, ownershipReleased: released },
    };
  },
});
