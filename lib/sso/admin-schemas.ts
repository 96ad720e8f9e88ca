import { z } from "zod";

/*
 * The schemas of the SSO settings' own writes (update, remove, dry run) and of the dashboard's
 * OIDC form. The command that creates a connection validates with createConnectionSchema
 * (schemas.ts); the form's schema asks for the same fields with messages in plain words, so the
 * browser can say what is wrong before the server says it again.
 */

const uuid = (what: string) => z.uuid({ message: `must be ${what} id` });
const scopes = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .regex(/^[\x21-\x7e ]*$/, "must be scope names separated by spaces")
  .refine((value) => value.split(/\s+/).includes("openid"), "must include openid (sign-in needs it)");
const claimName = z
  .string()
  .trim()
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9_:./-]*$/, "must be a claim name: letters, digits and _ : . / - only");

/** What PATCH /api/v1/sso/connections/{id} takes: every field optional, no others. */
export const updateConnectionFieldsSchema = z.strictObject({
    name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters").optional(),
    enabled: z.boolean({ message: "must be true or false" }).optional(),
    scopes: scopes.optional(),
    mfaPolicy: z.enum(["idp", "local"], { message: 'must be "idp" (trust the IdP\'s MFA) or "local" (our own second factor)' }).optional(),
    defaultRoleId: uuid("a role").nullable().optional(),
    defaultBranchId: uuid("a branch").nullable().optional(),
    allowIdpInitiated: z.boolean({ message: "must be true or false" }).optional(),
    // SAML only: sign our AuthnRequests; refuse assertions that are not encrypted to our key.
    signAuthnRequests: z.boolean({ message: "must be true or false" }).optional(),
    requireEncryptedAssertions: z.boolean({ message: "must be true or false" }).optional(),
    // A rotated secret replaces the sealed one; it is never read back.
    clientSecret: z.string().min(1, "is required").max(2000, "must be at most 2000 characters").optional(),
  });
export const updateConnectionSchema = updateConnectionFieldsSchema
  .extend({ connectionId: uuid("a connection") })
  .refine((v) => Object.keys(v).some((key) => key !== "connectionId"), { message: "give at least one field to change", path: ["body"] });
export type UpdateConnectionInput = z.input<typeof updateConnectionSchema>;

export const removeDomainSchema = z.object({ domainId: uuid("a domain") });
export const removeMappingSchema = z.object({ mappingId: uuid("a mapping rule") });

/** "These claims would give these grants": claims as an IdP would send them (an ID token's payload). */
export const dryRunMappingSchema = z.object({
  connectionId: uuid("a connection"),
  claims: z.record(z.string().max(200, "claim names must be at most 200 characters"), z.unknown(), { message: 'must be an object of claims, such as {"groups": ["Buyers"]}' }),
});
export type DryRunMappingInput = z.input<typeof dryRunMappingSchema>;

// The browser checks only that it is a URL: whether plain http is allowed (tests only) is the
// server's setting, and createConnectionSchema says so in plain words.
const issuerUrl = z
  .string()
  .trim()
  .min(1, "is required")
  .max(2000, "must be at most 2000 characters")
  .refine((value) => URL.canParse(value), "must be a full URL, such as https://example.okta.com");

/** The dashboard's "Add an OIDC connection" form; the server validates again with createConnectionSchema. */
export const oidcConnectionFormSchema = z.object({
  protocol: z.literal("oidc"),
  preset: z.enum(["generic", "okta", "entra"], { message: "choose Okta, Microsoft Entra ID or another OIDC provider" }),
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  issuer: issuerUrl,
  clientId: z.string().trim().min(1, "is required").max(500, "must be at most 500 characters"),
  clientSecret: z.string().min(1, "is required").max(2000, "must be at most 2000 characters"),
  scopes,
  claimMapping: z.object({ email: claimName.optional(), name: claimName.optional(), groups: claimName.optional() }),
  mfaPolicy: z.enum(["idp", "local"], { message: "choose who checks the second factor" }),
  defaultRoleId: uuid("a role").nullable(),
  defaultBranchId: uuid("a branch").nullable(),
});
export type OidcConnectionForm = z.input<typeof oidcConnectionFormSchema>;

/**
 * The dashboard's "Add a SAML connection" form: the IdP's metadata as its URL, or the XML of a
 * metadata file (read in the browser); the server validates again with createSamlConnectionSchema.
 */
export const samlConnectionFormSchema = z
  .object({
    name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
    metadataUrl: z
      .string()
      .trim()
      .max(2000, "must be at most 2000 characters")
      .refine((value) => value === "" || URL.canParse(value), "must be a full URL, such as https://idp.example.com/metadata"),
    metadataXml: z.string().max(512 * 1024, "must be at most 512 KB: choose the IdP's metadata file, not a larger export"),
    allowIdpInitiated: z.boolean(),
    requireEncryptedAssertions: z.boolean(),
    mfaPolicy: z.enum(["idp", "local"], { message: "choose who checks the second factor" }),
    defaultRoleId: uuid("a role").nullable(),
    defaultBranchId: uuid("a branch").nullable(),
  })
  .refine((v) => (v.metadataUrl === "") !== (v.metadataXml === ""), { message: "give the IdP's metadata URL or choose its metadata file, one of the two", path: ["metadataUrl"] });
export type SamlConnectionForm = z.input<typeof samlConnectionFormSchema>;

/** The dashboard's "Add a mapping rule" form; the server validates again with addMappingSchema. */
export const mappingFormSchema = z.object({
  connectionId: uuid("a connection"),
  claim: claimName.min(1, "is required"),
  value: z.string().min(1, "is required").max(500, "must be at most 500 characters"),
  roleId: z.uuid({ message: "choose a role" }),
  branchId: uuid("a branch").nullable(),
});
export type MappingForm = z.input<typeof mappingFormSchema>;

/** The dashboard's "Add a domain" form; the server validates again with addDomainSchema. */
export const domainFormSchema = z.object({
  connectionId: uuid("a connection").nullable(),
  domain: z.string().trim().min(1, "is required").max(253, "must be at most 253 characters"),
});
export type DomainForm = z.input<typeof domainFormSchema>;
