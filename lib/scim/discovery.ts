import SCIMMY from "scimmy";
import { appLink } from "@/lib/mail/app-url";
import { ScimError } from "./scim-error";

export const SCIM_BASE_PATH = "/api/scim/v2";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const MAX_RESULTS = 200;
export const BULK_MAX_OPERATIONS = 1000;
export const BULK_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

/** An absolute URL under the SCIM base, from APP_URL (never the request's Host header). */
export function scimUrl(path: string): string {
  return appLink(`${SCIM_BASE_PATH}${path}`);
}

/** RFC 7643 §5: what this service provider supports. */
export function serviceProviderConfig() {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
    documentationUri: scimUrl("/ServiceProviderConfig"),
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      { type: "oauthbearertoken", name: "OAuth Bearer Token", description: "An organization's SCIM token (npm run cli -- scim token create)", primary: true },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: scimUrl("/ServiceProviderConfig") },
  };
}

/** The schemas as scimmy defines them (RFC 7643 §8.7.1), with our locations. */
export function listSchemas() {
  return [SCIMMY.Schemas.User, SCIMMY.Schemas.EnterpriseUser, SCIMMY.Schemas.Group].map((s) => {
    const described = s.definition.describe() as { id: string } & Record<string, unknown>;
    return { ...described, meta: { resourceType: "Schema", location: scimUrl(`/Schemas/${described.id}`) } };
  });
}

export function findSchema(id: string) {
  const found = listSchemas().find((s) => s.id === id);
  if (!found) throw new ScimError(404, undefined, `No schema with id "${id}".`);
  return found;
}

export function listResourceTypes() {
  return [
    {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "A member of the organization",
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: "ResourceType", location: scimUrl("/ResourceTypes/User") },
    },
    {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "A group; the SSO mapping rules turn it into roles at branches",
      schema: GROUP_SCHEMA,
      meta: { resourceType: "ResourceType", location: scimUrl("/ResourceTypes/Group") },
    },
  ];
}

export function findResourceType(id: string) {
  const found = listResourceTypes().find((t) => t.id === id);
  if (!found) throw new ScimError(404, undefined, `No resource type "${id}".`);
  return found;
}

/** A ListResponse of everything at once (discovery lists are tiny). */
export function listResponse<T>(resources: T[], totalResults = resources.length, startIndex = 1) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
