import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { apiTokens, memberships, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { emailSchema } from "./schemas";
import { generateSecret, hashSecret } from "./secrets";

export const API_TOKEN_PREFIX = "cs_";

export const createApiTokenSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters").default("API token"),
  expiresInDays: z.number().int().min(1, "must be at least 1").max(3650, "must be at most 3650").optional(),
});

/**
 * Issues a bearer token that acts as one member of the org, never with more rights than they
 * have. Only the operator can mint tokens for now; self-service comes with step-up MFA.
 */
export const createApiTokenCommand = defineCommand({
  name: "api-token.created",
  description: "The operator issued an API token acting as a member (name, prefix and member in the metadata; never the token).",
  access: "system",
  // Minting a credential is sensitive: when people can do it themselves, they will need a recent
  // second factor (the operator passes), and a token can never mint another.
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: createApiTokenSchema,
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const [member] = await tx
      .select({ membershipId: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, orgId), eq(sql`lower(${users.email})`, input.email.toLowerCase())));
    if (!member) notFound("Member");
    const token = API_TOKEN_PREFIX + generateSecret();
    const prefix = token.slice(0, 10);
    const [row] = await tx
      .insert(apiTokens)
      .values({
        orgId,
        membershipId: member.membershipId,
        name: input.name,
        prefix,
        tokenHash: hashSecret(token),
        expiresAt: input.expiresInDays ? sql`now() + make_interval(days => ${input.expiresInDays})` : null,
      })
      .returning({ id: apiTokens.id });
    return { result: { id: row!.id, token, prefix }, target: { type: "api-token", id: row!.id }, metadata: { name: input.name, prefix, member: input.email } };
  },
});
