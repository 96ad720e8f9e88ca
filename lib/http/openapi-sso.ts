import { z } from "zod";
import { dryRunMappingSchema, updateConnectionFieldsSchema } from "@/lib/sso/admin-schemas";
import { addDomainSchema, addMappingSchema, createConnectionSchema } from "@/lib/sso/schemas";
import { createSamlConnectionSchema } from "@/lib/sso/saml/create-saml-connection";
import type { PathItems } from "./openapi-access";
import { PROBLEM_CONTENT_TYPE } from "./problem";

type JsonSchema = z.core.JSONSchema.BaseSchema;

/*
 * Single sign-on: connections, domains, mapping rules and the dry run (docs/adr/0014). Reads
 * work with any token whose member holds sso:manage at the organization root. Every change to
 * sign-in needs a second-factor step-up, which a token cannot present: writes answer 403 for a
 * token, exactly as admin-class grants do, and are made from the dashboard (or the CLI).
 */

const txtRecord = z.object({ name: z.string().describe("`_countersign.<domain>`"), value: z.string().describe("`countersign-verification=<token>`") });
export const ssoConnectionSchema = z.object({
  id: z.uuid(),
  protocol: z.enum(["oidc", "saml"]),
  preset: z.enum(["generic", "okta", "entra"]),
  name: z.string(),
  enabled: z.boolean(),
  issuer: z.string().nullable().describe("The OIDC issuer, or the SAML IdP's entity id."),
  clientId: z.string().nullable(),
  mfaPolicy: z.enum(["idp", "local"]),
  allowIdpInitiated: z.boolean(),
  redirectUri: z.string().optional().describe("OIDC: the redirect URI to register at the IdP."),
  acsUrl: z.string().optional(),
  entityId: z.string().optional(),
});
export const ssoDomainSchema = z.object({ id: z.uuid(), connectionId: z.uuid().nullable(), domain: z.string(), verified: z.boolean(), verifiedBy: z.enum(["dns", "operator"]).nullable(), txtRecord });
export const ssoMappingSchema = z.object({ id: z.uuid(), connectionId: z.uuid(), claim: z.string(), value: z.string(), roleId: z.uuid(), role: z.string(), branchId: z.uuid().nullable(), branch: z.string().nullable() });
const grant = z.object({ roleId: z.uuid(), role: z.string(), branchId: z.uuid().nullable(), branch: z.string().nullable().describe("null: the whole organization.") });
export const ssoDryRunSchema = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("grants"), source: z.enum(["rules", "default"]).describe("Rules matched, or none did and the connection's default role applies."), groups: z.array(z.string()), grants: z.array(grant) }),
  z.object({ outcome: z.literal("refused"), reason: z.string().describe("`no-mapping-rule`, `groups-overage` (Entra sent an overage pointer), …: the reason a sign-in would be refused."), groups: z.array(z.string()) }),
]);

export function registerSsoSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(ssoConnectionSchema, { id: "SsoConnection" });
  registry.add(ssoDomainSchema, { id: "SsoDomain" });
  registry.add(ssoMappingSchema, { id: "SsoMapping" });
  registry.add(ssoDryRunSchema, { id: "SsoMappingDryRun" });
}

const STEP_UP = "The token's member lacks sso:manage at the organization root, or (every write) the change needs a second-factor step-up, which an API token cannot present: make it from the dashboard.";

export function buildSsoPaths(): PathItems {
  const secured = { security: [{ bearerAuth: [] }] };
  const idParam = (what: string) => [{ name: "id", in: "path", required: true, description: `The ${what}'s id.`, schema: { type: "string", format: "uuid" } }];
  const responses = (ok: Record<string, unknown>, options: { body?: boolean; conflict?: string; forbidden?: string } = {}) => ({
    ...ok,
    "401": { $ref: "#/components/responses/Unauthorized" },
    "403": problem(options.forbidden ?? STEP_UP),
    "404": { $ref: "#/components/responses/NotFound" },
    ...(options.conflict ? { "409": problem(options.conflict) } : {}),
    ...(options.body ? { "413": problem("The JSON body is larger than 64 KiB.") } : {}),
    "422": { $ref: "#/components/responses/ValidationFailed" },
    "500": { $ref: "#/components/responses/InternalError" },
  });
  const read = "The token's member lacks sso:manage at the organization root.";
  return {
    "/api/v1/sso/connections": {
      get: { operationId: "listSsoConnections", summary: "The organization's SSO connections (sso:manage at the root); never a client secret.", ...secured, responses: responses({ "200": list("The connections.", "SsoConnection") }, { forbidden: read }) },
      post: {
        operationId: "createSsoConnection",
        summary: "Adds an OIDC connection (discovery from `issuer`; the client secret is sealed at rest and never returned) or a SAML one from the IdP's metadata (`metadataUrl` or `metadataXml`). Audited as `sso.connection.created`.",
        description: "A SAML connection answers its `acsUrl`, `entityId` and SP `metadataUrl`. Needs a second-factor step-up: an API token is refused with 403.",
        ...secured,
        requestBody: body(z.union([createConnectionSchema.options[0], z.object({ protocol: z.literal("saml"), ...createSamlConnectionSchema.shape }).strict()])),
        responses: responses({ "201": { description: "The new connection, with the redirect URI to register at the IdP." } }, { body: true }),
      },
    },
    "/api/v1/sso/connections/{id}": {
      get: { operationId: "getSsoConnection", summary: "One connection of the organization; another organization's id is 404.", ...secured, parameters: idParam("connection"), responses: responses({ "200": json("The connection.", "SsoConnection") }, { forbidden: read }) },
      patch: {
        operationId: "updateSsoConnection",
        summary: "Changes a connection's name, enabled flag, scopes, MFA policy, default role at a branch, IdP-initiated sign-in (SAML) or rotates its client secret. Audited as `sso.connection.updated`.",
        description: "The issuer and client id cannot change: a new IdP is a new connection. A default role obeys delegation like a grant.",
        ...secured,
        parameters: idParam("connection"),
        requestBody: body(updateConnectionFieldsSchema),
        responses: responses({ "200": json("The connection as it is now.", "SsoConnection") }, { body: true }),
      },
      delete: { operationId: "deleteSsoConnection", summary: "Deletes a connection with its identities and mapping rules; its domains stay verified and owned. Audited as `sso.connection.deleted`.", ...secured, parameters: idParam("connection"), responses: responses({ "200": { description: "Deleted." } }) },
    },
    "/api/v1/sso/domains": {
      get: { operationId: "listSsoDomains", summary: "The organization's claimed domains, with the TXT record each needs and whether it is verified.", ...secured, responses: responses({ "200": list("The domains.", "SsoDomain") }, { forbidden: read }) },
      post: {
        operationId: "addSsoDomain",
        summary: "Claims an email domain for a connection (or none). It counts once its TXT record is verified. Audited as `sso.domain.added`.",
        description: "`verifiedByOperator` is the operator's air-gapped override: CLI only, 403 here.",
        ...secured,
        requestBody: body(addDomainSchema),
        responses: responses({ "201": { description: "The claim, with its TXT record." } }, { body: true, conflict: "This connection already claims the domain." }),
      },
    },
    "/api/v1/sso/domains/{id}": {
      delete: { operationId: "removeSsoDomain", summary: "Drops a domain claim; the organization's last verified claim of a domain gives up the accounts at it. Audited as `sso.domain.removed`.", ...secured, parameters: idParam("domain"), responses: responses({ "200": { description: "Removed." } }) },
    },
    "/api/v1/sso/domains/{id}/verify": {
      post: { operationId: "verifySsoDomain", summary: "Looks up the domain's TXT record; found, the domain is verified and the organization owns the accounts at it. Audited as `sso.domain.verified`.", ...secured, parameters: idParam("domain"), responses: responses({ "200": { description: "Verified." } }, { conflict: "Another organization has verified this domain." }) },
    },
    "/api/v1/sso/mappings": {
      get: { operationId: "listSsoMappings", summary: "The organization's mapping rules: a claim value gives a role at a branch.", ...secured, responses: responses({ "200": list("The rules.", "SsoMapping") }, { forbidden: read }) },
      post: { operationId: "addSsoMapping", summary: "Adds a mapping rule, re-applied at every sign-in. It obeys delegation like a grant. Audited as `sso.mapping.added`.", ...secured, requestBody: body(addMappingSchema), responses: responses({ "201": { description: "The new rule's id." } }, { body: true }) },
    },
    "/api/v1/sso/mappings/{id}": {
      delete: { operationId: "removeSsoMapping", summary: "Removes a mapping rule; the grants it made go at each person's next sign-in. Audited as `sso.mapping.removed`.", ...secured, parameters: idParam("mapping rule"), responses: responses({ "200": { description: "Removed." } }) },
    },
    "/api/v1/sso/mappings/dry-run": {
      post: {
        operationId: "dryRunSsoMappings",
        summary: "These claims would give these grants: the claims are read as at sign-in (an Entra group overage is refused here too) and matched against the connection's rules. A read: it changes nothing.",
        ...secured,
        requestBody: body(dryRunMappingSchema),
        responses: responses({ "200": json("The grants, or why a sign-in would be refused.", "SsoMappingDryRun") }, { body: true, forbidden: read }),
      },
    },
  };
}

function body(schema: z.ZodType) {
  const generated = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete generated.$schema;
  return { required: true, content: { "application/json": { schema: generated } } };
}

const json = (description: string, name: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const list = (description: string, name: string) => ({ description, content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: { $ref: `#/components/schemas/${name}` } } }, required: ["data"] } } } });
const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } });
