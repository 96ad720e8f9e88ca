/** SCIM PATCH and resource bodies: Okta's and Entra's shapes normalised, then applied to stored documents. */
export { applyScimPatch, type ScimPatchResult } from "./apply-patch";
export { MAX_PATCH_OPERATIONS, normalizeScimPatch, type ScimPatchOp, type ScimPatchOpName } from "./normalize-patch";
export { normalizeScimResource } from "./normalize-resource";
export {
  SCIM_GROUP_RESOURCE_SCHEMA,
  SCIM_USER_RESOURCE_SCHEMA,
  scimResourceSchemaFor,
  type ScimAttributeDef,
  type ScimResourceSchema,
} from "./resource-schema";
export * from "./scim-docs";
