import { z } from "zod";

/** Issuers and metadata URLs must be https; plain http only behind SSO_ALLOW_INSECURE_HTTP=1 (tests). */
export function allowsInsecureHttp(): boolean {
  return process.env.SSO_ALLOW_INSECURE_HTTP === "1";
}

const httpsUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => URL.canParse(value), "must be an absolute URL")
  .refine((value) => {
    const protocol = URL.canParse(value) ? new URL(value).protocol : "";
    return protocol === "https:" || (protocol === "http:" && allowsInsecureHttp());
  }, "must use https (plain http only with SSO_ALLOW_INSECURE_HTTP=1, meant for tests)");

const certificate = z
  .string()
  .trim()
  .min(1)
  .max(20_000)
  .transform((pem) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""))
  .refine((body) => /^[A-Za-z0-9+/]+=*$/.test(body) && body.length > 100, "must be a PEM or base64 X.509 certificate");

const claimName = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_:./-]+$/, "must be a claim name (letters, digits, _ : . / -)");

// For people no mapping rule matches; without it they are refused.
const defaultGrant = {
  defaultRoleId: z.uuid({ message: "must be a role id" }).nullable().default(null),
  defaultBranchId: z.uuid({ message: "must be a branch id" }).nullable().default(null),
};

export const createConnectionSchema = z.discriminatedUnion("protocol", [
  z.object({
    protocol: z.literal("oidc"),
    name: z.string().trim().min(1).max(120).default("Single sign-on"),
    preset: z.enum(["generic", "okta", "entra"]).default("generic"),
    issuer: httpsUrl,
    clientId: z.string().trim().min(1).max(500),
    clientSecret: z.string().min(1).max(2000),
    scopes: z.string().trim().max(500).regex(/^[\x21-\x7e ]*$/, "must be space-separated scope names").optional(),
    claimMapping: z.object({ email: claimName.optional(), name: claimName.optional(), groups: claimName.optional() }).strict().optional(),
    mfaPolicy: z.enum(["idp", "local"]).default("local"),
    ...defaultGrant,
  }),
  z.object({
    protocol: z.literal("saml"),
    name: z.string().trim().min(1).max(120).default("Single sign-on"),
    preset: z.literal("generic").default("generic"),
    idpEntityId: z.string().trim().min(1).max(2000),
    idpSsoUrl: httpsUrl,
    idpCertificates: z.array(certificate).min(1, "at least one IdP signing certificate").max(5),
    allowIdpInitiated: z.boolean().default(false),
    // Signed AuthnRequests: by default exactly when the IdP's metadata asks for them.
    signAuthnRequests: z.boolean().optional(),
    idpWantsSignedRequests: z.boolean().default(false),
    requireEncryptedAssertions: z.boolean().default(false),
    claimMapping: z.object({ email: claimName.optional(), name: claimName.optional(), groups: claimName.optional() }).strict().optional(),
    mfaPolicy: z.enum(["idp", "local"]).default("local"),
    ...defaultGrant,
  }),
]);
export type CreateConnectionInput = z.input<typeof createConnectionSchema>;

export const connectionIdSchema = z.object({ connectionId: z.uuid({ message: "must be a connection id" }) });

/** A DNS name: labels of letters, digits and hyphens, at least one dot; stored lower-case. */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/\.$/, ""))
  .refine((d) => d.length <= 253 && /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/.test(d), "must be a domain name such as example.com");

export const addDomainSchema = z.object({
  connectionId: z.uuid({ message: "must be a connection id" }).nullable().default(null),
  domain: domainSchema,
  verifiedByOperator: z.boolean().default(false),
});

export const domainIdSchema = z.object({ domainId: z.uuid({ message: "must be a domain id" }) });

export const addMappingSchema = z.object({
  connectionId: z.uuid({ message: "must be a connection id" }),
  claim: claimName,
  value: z.string().min(1).max(500),
  roleId: z.uuid({ message: "must be a role id" }),
  branchId: z.uuid({ message: "must be a branch id" }).nullable().default(null),
});
