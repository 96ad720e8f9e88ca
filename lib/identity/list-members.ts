import { and, asc, desc, eq, gt, like, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { branches, grants, memberships, users } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope } from "@/lib/access/scope-condition";
import type { Principal } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { escapeLike } from "@/lib/core/escape-like";
import { ForbiddenError } from "@/lib/core/errors";
import { memberEmail, memberName } from "./member-display";

export const memberListQuerySchema = z.object({
  q: z.string().trim().toLowerCase().max(254, "must be at most 254 characters").optional(),
  cursor: z.string().max(400).optional(),
  before: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;

export interface MemberSummary {
  membershipId: string;
  email: string;
  name: string;
  status: "invited" | "active" | "deactivated";
}

export interface MemberPage {
  data: MemberSummary[];
  nextCursor: string | null;
  prevCursor: string | null;
}

const emailKey = sql<string>`lower(${users.email})`;

/**
 * Members the principal may list: the org, then, unless they hold users:read at the org root,
 * only members holding a grant somewhere in a subtree where they hold users:read.
 */
export function visibleMembersCondition(principal: Principal): SQL {
  const orgId = principal.org?.id;
  if (!orgId) return sql`false`;
  const scope = scopeOf(principal.access, "users:read");
  const inOrg = eq(memberships.orgId, orgId);
  if (scope.kind === "all") return inOrg;
  if (scope.kind === "none") return sql`false`;
  const subtree = pathInScope(branches.path, scope);
  const grantInSubtree = sql`exists (select 1 from ${grants} inner join ${branches} on ${branches.id} = ${grants.branchId} where ${grants.membershipId} = ${memberships.id} and ${grants.orgId} = ${orgId} and (${subtree}))`;
  return and(inOrg, grantInSubtree)!;
}

/**
 * One keyset page of members, ordered by email. Emails are unique case-insensitively and the
 * database collates in C, so `lower(email)` ordering and prefix search both ride the users index.
 */
export async function listMembers(db: Executor, principal: Principal, query: MemberListQuery): Promise<MemberPage> {
  if (scopeOf(principal.access, "users:read").kind === "none") throw new ForbiddenError("Listing members needs users:read.", "users:read");
  const backwards = Boolean(query.before);
  const conditions: SQL[] = [visibleMembersCondition(principal)];
  if (query.q) conditions.push(like(emailKey, `${escapeLike(query.q)}%`));
  const cursorText = query.before ?? query.cursor;
  if (cursorText) {
    const { value } = decodeCursor(cursorText, { sort: "email", dir: "asc", field: query.before ? "before" : "cursor" });
    conditions.push((backwards ? lt : gt)(emailKey, String(value)));
  }
  const rows = await db
    .select({ membershipId: memberships.id, email: memberEmail, name: memberName, status: memberships.status, key: emailKey })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(...conditions))
    .orderBy(backwards ? desc(emailKey) : asc(emailKey))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page[page.length - 1];
  // The cursor holds the sort key itself, which an invited member's shown address may not spell.
  const cursorOf = (m: (typeof page)[number]) => encodeCursor("email", "asc", m.key, m.membershipId);
  return {
    data: page.map((m): MemberSummary => ({ membershipId: m.membershipId, email: m.email, name: m.name, status: m.status })),
    nextCursor: (backwards || hasMore) && last ? cursorOf(last) : null,
    prevCursor: (backwards ? hasMore : Boolean(query.cursor)) && first ? cursorOf(first) : null,
  };
}
