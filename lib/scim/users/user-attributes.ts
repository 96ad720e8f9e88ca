import { sql, type SQL } from "drizzle-orm";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import type { AttrPath, ScimAttribute, ScimAttributeMap, ScimColumnAttribute } from "@/lib/scim/filter";
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from "../discovery";

const str = (expr: SQL, caseExact = false): ScimColumnAttribute => ({ kind: "column", sql: expr, type: "string", caseExact });
const docText = (...keys: string[]) => sql`(${scimUsers.doc} #>> ${sql.raw(`'{${keys.join(",")}}'`)})`;

// Simple string attributes of the core User schema, stored in the document (RFC 7643 §4.1.1).
const CORE_STRINGS: Record<string, string> = {
  displayname: "displayName",
  nickname: "nickName",
  profileurl: "profileUrl",
  title: "title",
  usertype: "userType",
  preferredlanguage: "preferredLanguage",
  locale: "locale",
  timezone: "timezone",
};
const NAME_SUBS: Record<string, string> = {
  formatted: "formatted",
  familyname: "familyName",
  givenname: "givenName",
  middlename: "middleName",
  honorificprefix: "honorificPrefix",
  honorificsuffix: "honorificSuffix",
};
const ENTERPRISE_STRINGS: Record<string, string> = {
  employeenumber: "employeeNumber",
  costcenter: "costCenter",
  organization: "organization",
  division: "division",
  department: "department",
};

/** A multi-valued attribute kept as a jsonb array in the document: EXISTS over its elements. */
function jsonbMulti(key: string): ScimAttribute {
  const element = (sub: string) => sql`(scim_el.value ->> ${sql.raw(`'${sub}'`)})`;
  return {
    kind: "multi",
    exists: (where) => sql`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(${scimUsers.doc} -> ${sql.raw(`'${key}'`)}) = 'array' then ${scimUsers.doc} -> ${sql.raw(`'${key}'`)} else '[]'::jsonb end) as scim_el(value) where ${where})`,
    subs: {
      value: str(element("value")),
      display: str(element("display")),
      type: str(element("type")),
      primary: { kind: "column", sql: sql`coalesce((scim_el.value -> 'primary') = 'true'::jsonb, false)`, type: "boolean", caseExact: true },
    },
    primarySub: "value",
    sort: sql`(select coalesce(max(e.value ->> 'value') filter (where (e.value -> 'primary') = 'true'::jsonb), min(e.value ->> 'value')) from jsonb_array_elements(case when jsonb_typeof(${scimUsers.doc} -> ${sql.raw(`'${key}'`)}) = 'array' then ${scimUsers.doc} -> ${sql.raw(`'${key}'`)} else '[]'::jsonb end) as e(value))`,
  };
}

const groupsAttribute: ScimAttribute = {
  kind: "multi",
  exists: (where) =>
    sql`exists (select 1 from ${scimGroupMembers} join ${scimGroups} on ${scimGroups.id} = ${scimGroupMembers.groupId} and ${scimGroups.deletedAt} is null where ${scimGroupMembers.scimUserId} = ${scimUsers.id} and ${where})`,
  subs: { value: str(sql`${scimGroups.id}::text`, true), display: str(sql`${scimGroups.displayName}`) },
  primarySub: "value",
};

const MULTI = new Set(["emails", "phonenumbers", "ims", "photos", "entitlements", "roles", "x509certificates"]);
const MULTI_KEYS: Record<string, string> = { emails: "emails", phonenumbers: "phoneNumbers", ims: "ims", photos: "photos", entitlements: "entitlements", roles: "roles", x509certificates: "x509Certificates" };

/**
 * Where each User attribute a filter or sortBy may name is stored (lib/scim/filter compiles to
 * SQL with these, never in memory): userName, externalId, id, active and meta times in columns,
 * the rest in the jsonb document. caseExact follows RFC 7643 (userName and most strings are not).
 */
export const resolveUserAttribute: ScimAttributeMap = (path: AttrPath) => {
  const schema = path.schema?.toLowerCase();
  if (schema === ENTERPRISE_USER_SCHEMA.toLowerCase()) {
    if (ENTERPRISE_STRINGS[path.attr]) return str(docText(ENTERPRISE_USER_SCHEMA, ENTERPRISE_STRINGS[path.attr]!));
    if (path.attr === "manager") {
      if (path.sub === undefined || path.sub === "value") return str(docText(ENTERPRISE_USER_SCHEMA, "manager", "value"), true);
      if (path.sub === "displayname") return str(docText(ENTERPRISE_USER_SCHEMA, "manager", "displayName"));
    }
    return undefined;
  }
  if (schema !== undefined && schema !== USER_SCHEMA.toLowerCase()) return undefined;
  switch (path.attr) {
    case "username":
      // The JS-folded key column: its unique index serves eq and sw (lib/scim/filter attribute-map.ts).
      return { ...str(sql`${scimUsers.userName}`), folded: scimUsers.userNameKey };
    case "externalid":
      return str(sql`${scimUsers.externalId}`, true);
    case "id":
      return str(sql`${scimUsers.id}::text`, true);
    case "active":
      return { kind: "column", sql: scimUsers.active, type: "boolean", caseExact: true };
    case "name":
      return path.sub && NAME_SUBS[path.sub] ? str(docText("name", NAME_SUBS[path.sub]!)) : undefined;
    case "meta":
      if (path.sub === "created") return { kind: "column", sql: scimUsers.createdAt, type: "dateTime", caseExact: true };
      if (path.sub === "lastmodified") return { kind: "column", sql: scimUsers.updatedAt, type: "dateTime", caseExact: true };
      if (path.sub === "resourcetype") return str(sql`'User'`, true);
      return undefined;
    case "groups":
      return groupsAttribute;
    default:
      if (CORE_STRINGS[path.attr]) return str(docText(CORE_STRINGS[path.attr]!));
      if (MULTI.has(path.attr)) return jsonbMulti(MULTI_KEYS[path.attr]!);
      return undefined;
  }
};
