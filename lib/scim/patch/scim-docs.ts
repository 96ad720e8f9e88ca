/*
 * The SCIM documents we store and serve (RFC 7643 §4.1 User, §4.2 Group, §4.3 enterprise
 * extension), after `normalizeScimResource` or `applyScimPatch`: attribute names in their
 * canonical case, booleans as booleans, no nulls, no password, no read-only attributes the
 * client sent. The extension lives under its schema URN, as on the wire. `id` and `meta` are the
 * server's (scim-core sets them when it answers).
 */

export const SCIM_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const SCIM_GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const SCIM_ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const SCIM_PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type ScimResourceType = "User" | "Group";

export type ScimMeta = { resourceType?: ScimResourceType; created?: string; lastModified?: string; version?: string; location?: string };

/** One value of a multi-valued attribute such as emails or phoneNumbers (RFC 7643 §2.4). */
export type ScimMultiValue = { value?: string; display?: string; type?: string; primary?: boolean };

export type ScimName = {
  formatted?: string;
  familyName?: string;
  givenName?: string;
  middleName?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
};

export type ScimAddress = {
  formatted?: string;
  streetAddress?: string;
  locality?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  type?: string;
  primary?: boolean;
};

/** A reference to another resource: a group's member, a user's group, a manager. */
export type ScimReference = { value?: string; $ref?: string; display?: string; type?: string };

export type ScimEnterpriseUser = {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: { value?: string; $ref?: string; displayName?: string };
};

export type ScimUserDoc = {
  schemas: string[];
  id?: string;
  externalId?: string;
  userName: string;
  name?: ScimName;
  displayName?: string;
  nickName?: string;
  profileUrl?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  active?: boolean;
  emails?: ScimMultiValue[];
  phoneNumbers?: ScimMultiValue[];
  ims?: ScimMultiValue[];
  photos?: ScimMultiValue[];
  addresses?: ScimAddress[];
  entitlements?: ScimMultiValue[];
  roles?: ScimMultiValue[];
  /** Read-only (RFC 7643 §4.1.2): the server fills it from group memberships; a client's copy is ignored. */
  groups?: ScimReference[];
  [SCIM_ENTERPRISE_USER_SCHEMA]?: ScimEnterpriseUser;
  meta?: ScimMeta;
};

export type ScimGroupMember = { value: string; $ref?: string; display?: string; type?: string };

export type ScimGroupDoc = {
  schemas: string[];
  id?: string;
  externalId?: string;
  displayName: string;
  members?: ScimGroupMember[];
  meta?: ScimMeta;
};

export type ScimDoc = ScimUserDoc | ScimGroupDoc;
