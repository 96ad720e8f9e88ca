import { sql } from "drizzle-orm";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import type { AttrPath, ScimAttribute, ScimAttributeMap } from "@/lib/scim/filter";
import { GROUP_SCHEMA } from "../discovery";

const membersAttribute: ScimAttribute = {
  kind: "multi",
  exists: (where) =>
    sql`exists (select 1 from ${scimGroupMembers} join ${scimUsers} on ${scimUsers.id} = ${scimGroupMembers.scimUserId} and ${scimUsers.deletedAt} is null where ${scimGroupMembers.groupId} = ${scimGroups.id} and ${where})`,
  subs: {
    value: { kind: "column", sql: sql`${scimGroupMembers.scimUserId}::text`, type: "string", caseExact: true },
    display: { kind: "column", sql: sql`coalesce(${scimUsers.doc} ->> 'displayName', ${scimUsers.userName})`, type: "string", caseExact: false },
    type: { kind: "column", sql: sql`'User'`, type: "string", caseExact: false },
  },
  primarySub: "value",
};

/** Where each Group attribute a filter or sortBy may name is stored (compiled to SQL by lib/scim/filter). */
export const resolveGroupAttribute: ScimAttributeMap = (path: AttrPath) => {
  if (path.schema !== undefined && path.schema.toLowerCase() !== GROUP_SCHEMA.toLowerCase()) return undefined;
  switch (path.attr) {
    case "displayname":
      return { kind: "column", sql: scimGroups.displayName, type: "string", caseExact: false, folded: scimGroups.displayNameKey };
    case "externalid":
      return { kind: "column", sql: scimGroups.externalId, type: "string", caseExact: true };
    case "id":
      return { kind: "column", sql: sql`${scimGroups.id}::text`, type: "string", caseExact: true };
    case "members":
      return membersAttribute;
    case "meta":
      if (path.sub === "created") return { kind: "column", sql: scimGroups.createdAt, type: "dateTime", caseExact: true };
      if (path.sub === "lastmodified") return { kind: "column", sql: scimGroups.updatedAt, type: "dateTime", caseExact: true };
      return undefined;
    default:
      return undefined;
  }
};
