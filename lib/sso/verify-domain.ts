import { and, eq } from "drizzle-orm";
import { ssoDomains } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { lookupTxt, verificationRecordName, verificationRecordValue } from "./dns-resolver";
import { claimVerifiedDomain } from "./domain-ownership";
import { domainIdSchema } from "./schemas";

/**
 * Checks the claimed domain's TXT record (`_countersign.<domain>`) for its token; when found, the
 * domain is verified and the org owns the accounts at it. A missing record answers 422 naming
 * the domain and the record expected, and changes nothing.
 */
export const verifyDomainCommand = defineCommand({
  name: "sso.domain.verified",
  description: "An SSO domain's DNS TXT record was found: the domain is verified and the organization now owns the accounts at it.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: domainIdSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [row] = await tx.select().from(ssoDomains).where(and(eq(ssoDomains.orgId, orgId), eq(ssoDomains.id, input.domainId)));
    if (!row) notFound("Domain");
    const name = verificationRecordName(row.domain);
    const expected = verificationRecordValue(row.verificationToken);
    if (!row.verifiedAt) {
      const records = await lookupTxt(name).catch(() => [] as string[][]);
      if (!records.some((chunks) => chunks.join("") === expected)) throw new ValidationError({ domain: [`no TXT record ${name} with the value ${expected} was found`] });
      await claimVerifiedDomain(tx, orgId, row.id, row.domain, "dns");
    }
    return { result: { id: row.id, domain: row.domain, verified: true }, target: { type: "sso_domain", id: row.id }, metadata: { after: { domain: row.domain, verifiedBy: row.verifiedBy ?? "dns" } } };
  },
});
