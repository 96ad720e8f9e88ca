import { and, asc, count, eq, isNull, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { scimGroups } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { compileScimFilter, compileScimSort, parseScimFilter } from "@/lib/scim/filter";
import { listResponse } from "../discovery";
import type { ScimListQuery } from "../list-query";
import { projectAttributes } from "../project-attributes";
import { scimOrgOf } from "../scim-actor";
import { resolveGroupAttribute } from "./group-attributes";
import { loadMembersOfGroups, loadScimGroup } from "./load-scim-group";
import { renderScimGroup } from "./render-scim-group";

// Okta and Entra list groups with excludedAttributes=members: then members are not even read.
const wantsMembers = (q: Pick<ScimListQuery, "attributes" | "excludedAttributes">) =>
  q.attributes.length ? q.attributes.some((a) => a.toLowerCase().split(".")[0] === "members") : !q.excludedAttributes.some((a) => a.toLowerCase() === "members");

/** GET /Groups: filtered in SQL, sorted, one page, with totalResults. */
export async function listScimGroups(tx: Executor, principal: Principal, query: ScimListQuery) {
  const orgId = scimOrgOf(principal);
  const conditions: SQL[] = [eq(scimGroups.orgId, orgId), isNull(scimGroups.deletedAt)];
  if (query.filter !== undefined) conditions.push(compileScimFilter(parseScimFilter(query.filter), resolveGroupAttribute));
  const sort = compileScimSort(query.sortBy, query.sortOrder, resolveGroupAttribute);
  const where = and(...conditions);
  const [[total], rows] = await Promise.all([
    tx.select({ n: count() }).from(scimGroups).where(where),
    query.count === 0
      ? Promise.resolve([])
      : tx
          .select()
          .from(scimGroups)
          .where(where)
          .orderBy(...(sort ? [sort] : []), asc(scimGroups.createdAt), asc(scimGroups.id))
          .limit(query.count)
          .offset(query.startIndex - 1),
  ]);
  const members = wantsMembers(query) ? await loadMembersOfGroups(tx, orgId, rows.map((r) => r.id)) : null;
  const resources = rows.map((r) => projectAttributes(renderScimGroup(r, members ? (members.get(r.id) ?? []) : null), query.attributes, query.excludedAttributes, []));
  return listResponse(resources, total!.n, query.startIndex);
}

/** GET /Groups/{id}: one live Group of this org, or 404. */
export async function getScimGroup(tx: Executor, principal: Principal, id: string, projection: Pick<ScimListQuery, "attributes" | "excludedAttributes">) {
  const orgId = scimOrgOf(principal);
  const row = await loadScimGroup(tx, orgId, id);
  const members = wantsMembers(projection) ? (await loadMembersOfGroups(tx, orgId, [row.id])).get(row.id)! : null;
  return projectAttributes(renderScimGroup(row, members), projection.attributes, projection.excludedAttributes, []);
}
