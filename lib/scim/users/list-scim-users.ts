import { and, asc, count, eq, isNull, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { scimUsers } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { compileScimFilter, compileScimSort, parseScimFilter } from "@/lib/scim/filter";
import { ENTERPRISE_USER_SCHEMA, listResponse } from "../discovery";
import type { ScimListQuery } from "../list-query";
import { projectAttributes } from "../project-attributes";
import { scimOrgOf } from "../scim-actor";
import { loadGroupsOfUsers, loadScimUser } from "./load-scim-user";
import { renderScimUser } from "./render-scim-user";
import { resolveUserAttribute } from "./user-attributes";

const wantsGroups = (q: Pick<ScimListQuery, "attributes" | "excludedAttributes">) =>
  q.attributes.length ? q.attributes.some((a) => a.toLowerCase().split(".")[0] === "groups") : !q.excludedAttributes.some((a) => a.toLowerCase() === "groups");

/**
 * GET /Users: the org's live SCIM Users matching the filter, compiled to SQL (never filtered in
 * memory), sorted (then by creation and id, so pages are stable), one page of startIndex/count,
 * with totalResults.
 */
export async function listScimUsers(tx: Executor, principal: Principal, query: ScimListQuery) {
  const orgId = scimOrgOf(principal);
  const conditions: SQL[] = [eq(scimUsers.orgId, orgId), isNull(scimUsers.deletedAt)];
  if (query.filter !== undefined) conditions.push(compileScimFilter(parseScimFilter(query.filter), resolveUserAttribute));
  const sort = compileScimSort(query.sortBy, query.sortOrder, resolveUserAttribute);
  const where = and(...conditions);
  const [[total], rows] = await Promise.all([
    tx.select({ n: count() }).from(scimUsers).where(where),
    query.count === 0
      ? Promise.resolve([])
      : tx
          .select()
          .from(scimUsers)
          .where(where)
          .orderBy(...(sort ? [sort] : []), asc(scimUsers.createdAt), asc(scimUsers.id))
          .limit(query.count)
          .offset(query.startIndex - 1),
  ]);
  const groups = wantsGroups(query) ? await loadGroupsOfUsers(tx, orgId, rows.map((r) => r.id)) : new Map();
  const resources = rows.map((r) => projectAttributes(renderScimUser(r, groups.get(r.id) ?? []), query.attributes, query.excludedAttributes, [ENTERPRISE_USER_SCHEMA]));
  return listResponse(resources, total!.n, query.startIndex);
}

/** GET /Users/{id}: one live SCIM User of this org, or 404. */
export async function getScimUser(tx: Executor, principal: Principal, id: string, projection: Pick<ScimListQuery, "attributes" | "excludedAttributes">) {
  const orgId = scimOrgOf(principal);
  const row = await loadScimUser(tx, orgId, id);
  const groups = (await loadGroupsOfUsers(tx, orgId, [row.id])).get(row.id)!;
  return { resource: projectAttributes(renderScimUser(row, groups), projection.attributes, projection.excludedAttributes, [ENTERPRISE_USER_SCHEMA]), version: row.version };
}
