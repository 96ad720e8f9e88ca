import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, ssoPolicies, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";

const policySchema = z.object({
  requireSso: z.boolean({ message: "must be true or false" }),
  // Members who may still sign in with a password (audited loudly) when the IdP is down.
  breakGlassEmails: z.array(z.string().trim().toLowerCase().max(320)).max(10).default([]),
});

/**
 * "Require SSO": password sign-in is refused for the accounts this org owns (its verified
 * domains), except for the named break-glass members. Turning it on needs at least one, so an
 * IdP outage cannot lock every administrator out.
 */
export const setSsoPolicyCommand = defineCommand({
  name: "sso.policy.changed",
  description: "The organization's SSO policy changed: whether password sign-in is refused for the accounts it owns, and which members may still use a password (break-glass).",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: policySchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const found = input.breakGlassEmails.length
      ? await tx
          .select({ id: users.id, email: users.email })
          .from(users)
          .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId), eq(memberships.status, "active")))
          .where(inArray(sql`lower(${users.email})`, input.breakGlassEmails))
      : [];
    const missing = input.breakGlassEmails.filter((e) => !found.some((f) => f.email.toLowerCase() === e));
    if (missing.length) throw new ValidationError({ breakGlassEmails: [`not active members of this organization: ${missing.join(", ")}`] });
    if (input.requireSso && found.length === 0) throw new ValidationError({ breakGlassEmails: ["name at least one break-glass member before requiring SSO"] });
    const values = { requireSso: input.requireSso, breakGlassUserIds: found.map((f) => f.id), updatedAt: sql`now()` };
    await tx.insert(ssoPolicies).values({ orgId, ...values }).onConflictDoUpdate({ target: ssoPolicies.orgId, set: values });
    return { result: { requireSso: input.requireSso, breakGlass: found.map((f) => f.email) }, target: { type: "organization", id: orgId }, metadata: { after: { requireSso: input.requireSso, breakGlass: found.map((f) => f.email) } } };
  },
});
