import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { ssoDomains } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import { verificationRecordName, verificationRecordValue } from "./dns-resolver";
import { findConnection } from "./load-connection";
import { claimVerifiedDomain } from "./domain-ownership";
import { addDomainSchema } from "./schemas";

/**
 * Claims an email domain for a connection. It counts only once verified (verify-domain.ts): by
 * the DNS TXT record this returns, or at once by the operator's override for air-gapped installs
 * (`--verified-by-operator`, the operator only, audited as such).
 */
export const addDomainCommand = defineCommand({
  name: "sso.domain.added",
  description: "An email domain was claimed for an SSO connection; `verifiedBy: operator` when the operator verified it at once (the air-gapped override), else it waits for its DNS TXT record.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: addDomainSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    if (input.verifiedByOperator && principal.actor.type !== "system") throw new ForbiddenError("Only the operator can verify a domain without its DNS record.");
    if (input.connectionId && !(await findConnection(tx, orgId, input.connectionId))) notFound("Connection");
    const sameConnection = input.connectionId ? eq(ssoDomains.connectionId, input.connectionId) : isNull(ssoDomains.connectionId);
    const [existing] = await tx.select({ id: ssoDomains.id }).from(ssoDomains).where(and(eq(ssoDomains.orgId, orgId), sameConnection, eq(ssoDomains.domain, input.domain)));
    if (existing) throw new ConflictError(input.connectionId ? "This connection already claims that domain." : "The organization already claims that domain.", "domain");
    const token = randomBytes(16).toString("base64url");
    const [row] = await tx.insert(ssoDomains).values({ orgId, connectionId: input.connectionId, domain: input.domain, verificationToken: token }).returning({ id: ssoDomains.id });
    if (input.verifiedByOperator) await claimVerifiedDomain(tx, orgId, row!.id, input.domain, "operator");
    return {
      result: {
        id: row!.id,
        domain: input.domain,
        verified: input.verifiedByOperator,
        txtRecord: { name: verificationRecordName(input.domain), value: verificationRecordValue(token) },
      },
      target: { type: "sso_domain", id: row!.id },
      metadata: { after: { domain: input.domain, connectionId: input.connectionId, verifiedBy: input.verifiedByOperator ? "operator" : null } },
    };
  },
});
