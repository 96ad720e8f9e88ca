import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA, type ScimResourceType } from "./scim-docs";

/*
 * The attributes PATCH and PUT may name, with what RFC 7643 says of each (type, plurality,
 * mutability, required). Names are matched case-insensitively (RFC 7643 §2.1), so every lookup
 * goes through the lower-cased maps built here; documents keep the canonical spelling.
 */

export type ScimAttributeType = "string" | "boolean" | "complex" | "reference" | "dateTime" | "integer" | "decimal" | "binary";
export type ScimMutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";

export type ScimAttributeDef = {
  name: string;
  type: ScimAttributeType;
  multiValued?: boolean;
  required?: boolean;
  mutability?: ScimMutability;
  caseExact?: boolean;
  /** Longest string accepted; a bound so one attribute cannot carry a megabyte. */
  maxLength?: number;
  /** Most values a multi-valued attribute may hold. */
  maxItems?: number;
  subAttributes?: ScimAttributeDef[];
  /** Lower-cased name → sub-attribute, built by `defineSchema`. */
  subByName?: ReadonlyMap<string, ScimAttributeDef>;
};

export type ScimSchemaPart = {
  /** The schema URN (canonical case). */
  urn: string;
  /** Where the part's attributes live in a document: the root for the core schema, else `doc[urn]`. */
  isCore: boolean;
  attributes: ScimAttributeDef[];
  byName: ReadonlyMap<string, ScimAttributeDef>;
};

export type ScimResourceSchema = {
  resourceType: ScimResourceType;
  core: ScimSchemaPart;
  extensions: ScimSchemaPart[];
  /** Lower-cased URN → part, core included. */
  partByUrn: ReadonlyMap<string, ScimSchemaPart>;
};

const DEFAULT_MAX_LENGTH = 2048;
const MAX_MEMBERS = 100_000;
const MAX_SMALL_LIST = 100;

const str = (name: string, extra: Partial<ScimAttributeDef> = {}): ScimAttributeDef => ({ name, type: "string", ...extra });
const bool = (name: string): ScimAttributeDef => ({ name, type: "boolean" });
const ref = (name: string, extra: Partial<ScimAttributeDef> = {}): ScimAttributeDef => ({ name, type: "reference", ...extra });
const readOnly = (def: ScimAttributeDef): ScimAttributeDef => ({ ...def, mutability: "readOnly" });

/** emails, phoneNumbers, ims, photos, entitlements, roles: value, display, type, primary. */
function multiValued(name: string, maxItems = MAX_SMALL_LIST): ScimAttributeDef {
  return { name, type: "complex", multiValued: true, maxItems, subAttributes: [str("value"), str("display"), str("type"), bool("primary")] };
}

const META: ScimAttributeDef = readOnly({
  name: "meta",
  type: "complex",
  subAttributes: [str("resourceType"), { name: "created", type: "dateTime" }, { name: "lastModified", type: "dateTime" }, str("location"), str("version")],
});
const ID = readOnly(str("id", { caseExact: true }));
const EXTERNAL_ID = str("externalId", { caseExact: true });

const USER_CORE: ScimAttributeDef[] = [
  ID,
  EXTERNAL_ID,
  META,
  str("userName", { required: true, maxLength: 256 }),
  {
    name: "name",
    type: "complex",
    subAttributes: ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"].map((n) => str(n)),
  },
  str("displayName"),
  str("nickName"),
  ref("profileUrl"),
  str("title"),
  str("userType"),
  str("preferredLanguage"),
  str("locale"),
  str("timezone"),
  bool("active"),
  // Accepted so Okta's password sync and POST bodies pass; never stored (RFC 7643 §4.1.1, writeOnly).
  str("password", { mutability: "writeOnly" }),
  multiValued("emails"),
  multiValued("phoneNumbers"),
  multiValued("ims"),
  multiValued("photos"),
  {
    name: "addresses",
    type: "complex",
    multiValued: true,
    maxItems: MAX_SMALL_LIST,
    subAttributes: [...["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"].map((n) => str(n)), bool("primary")],
  },
  readOnly({ name: "groups", type: "complex", multiValued: true, subAttributes: [str("value"), ref("$ref"), str("display"), str("type")] }),
  multiValued("entitlements"),
  multiValued("roles"),
];

const ENTERPRISE_USER: ScimAttributeDef[] = [
  str("employeeNumber"),
  str("costCenter"),
  str("organization"),
  str("division"),
  str("department"),
  { name: "manager", type: "complex", subAttributes: [str("value"), ref("$ref"), readOnly(str("displayName"))] },
];

const GROUP_CORE: ScimAttributeDef[] = [
  ID,
  EXTERNAL_ID,
  META,
  str("displayName", { required: true, maxLength: 256 }),
  {
    name: "members",
    type: "complex",
    multiValued: true,
    maxItems: MAX_MEMBERS,
    subAttributes: [str("value", { caseExact: true }), ref("$ref"), str("display"), str("type")],
  },
];

function indexAttributes(defs: ScimAttributeDef[]): ScimAttributeDef[] {
  return defs.map((def) => {
    const withLength = def.type === "string" || def.type === "reference" ? { maxLength: DEFAULT_MAX_LENGTH, ...def } : def;
    if (!def.subAttributes) return withLength;
    const subs = indexAttributes(def.subAttributes);
    return { ...withLength, subAttributes: subs, subByName: new Map(subs.map((s) => [s.name.toLowerCase(), s])) };
  });
}

function definePart(urn: string, isCore: boolean, defs: ScimAttributeDef[]): ScimSchemaPart {
  const attributes = indexAttributes(defs);
  return { urn, isCore, attributes, byName: new Map(attributes.map((a) => [a.name.toLowerCase(), a])) };
}

function defineSchema(resourceType: ScimResourceType, core: ScimSchemaPart, extensions: ScimSchemaPart[]): ScimResourceSchema {
  const partByUrn = new Map([core, ...extensions].map((p) => [p.urn.toLowerCase(), p]));
  return { resourceType, core, extensions, partByUrn };
}

export const SCIM_USER_RESOURCE_SCHEMA = defineSchema("User", definePart(SCIM_USER_SCHEMA, true, USER_CORE), [
  definePart(SCIM_ENTERPRISE_USER_SCHEMA, false, ENTERPRISE_USER),
]);

export const SCIM_GROUP_RESOURCE_SCHEMA = defineSchema("Group", definePart(SCIM_GROUP_SCHEMA, true, GROUP_CORE), []);

export function scimResourceSchemaFor(resourceType: ScimResourceType): ScimResourceSchema {
  return resourceType === "User" ? SCIM_USER_RESOURCE_SCHEMA : SCIM_GROUP_RESOURCE_SCHEMA;
}
