import { z } from "zod";
import { scimTokens } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { generateSecret, hashSecret } from "@/lib/identity/secrets";

/** Told apart from API tokens (cs_) at a glance, and by secret scanners. */
export const SCIM_TOKEN_PREFIX = "scim_";

export const createScimTokenSchema = z.object({
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters").default("SCIM"),
});

/**
 * Issues an org's SCIM bearer token for its IdP. The secret is returned once and only its SHA-256
 * is stored. Minting a credential that can create and remove every member is admin-class: a
 * recent second factor, never an API token (the operator passes).
 */
export const createScimTokenCommand = defineCommand({
  name: "scim.token.created",
  description: "A SCIM token was issued for the organization's IdP (name and prefix in the metadata; never the token).",
  access: { permission: "org:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: createScimTokenSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("org:manage", "");
    const token = SCIM_TOKEN_PREFIX + generateSecret();
    const prefix = token.slice(0, 12);
    const [row] = await tx.insert(scimTokens).values({ orgId, name: input.name, prefix, tokenHash: hashSecret(token) }).returning({ id: scimTokens.id });
    return { result: { id: row!.id, token, prefix, name: input.name }, target: { type: "scim-token", id: row!.id, label: input.name }, metadata: { name: input.name, prefix } };
  },
});
