import { and, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { branches, grants, memberships, sessions, totpFactors, webauthnCredentials } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope } from "@/lib/access/scope-condition";
import type { Principal } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { loadMemberColumns, MEMBER_SOURCES, type MemberRow } from "./member-columns";
import { selectMemberPage, type MemberOrder } from "./member-search";

export const MEMBER_SORTS = ["email", "name", "status"] as const;
export const MEMBER_STATUSES = ["invited", "active", "deactivated"] as const;

export const memberListQuerySchema = z.object({
  q: z.string().trim().toLowerCase().max(254, "must be at most 254 characters").optional(),
  sort: z.enum(MEMBER_SORTS, { message: 'must be "email", "name" or "status"' }).default("email"),
  status: z.enum(MEMBER_STATUSES, { message: 'must be "invited", "active" or "deactivated"' }).optional(),
  source: z.enum(MEMBER_SOURCES, { message: `must be one of ${MEMBER_SOURCES.join(", ")}` }).optional(),
  branchId: z.uuid({ message: "must be a branch id" }).optional(),
  roleId: z.uuid({ message: "must be a role id" }).optional(),
  mfa: z.enum(["on", "off"], { message: 'must be "on" or "off"' }).optional(),
  noSignInDays: z.coerce.number({ message: "must be a number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").max(3650, "must be at most 3650 days (ten years)").optional(),
  cursor: z.string().max(1200).optional(),
  before: z.string().max(1200).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;

export { MEMBER_SOURCES };
export type MemberSummary = MemberRow;

export interface MemberPage {
  data: MemberSummary[];
  nextCursor: string | null;
  prevCursor: string | null;
}

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

/** Beyond this many visible branches, the scope stays a path condition rather than a list of ids. */
const MAX_SCOPE_BRANCH_IDS = 1000;

/**
 * The same rule as visibleMembersCondition, for lists: the branches in the reader's scope are
 * looked up first (the branch table is small), so the condition is "holds a grant at one of these
 * ids", which the planner estimates from the grants index's statistics. With the path condition
 * it guessed one branch, and at 1,000,000 members it hashed every grant in the subtree to sort
 * them, where walking the sort order and probing grants finds a page at once (bench/provisioning.ts).
 */
async function visibleMembersForList(db: Executor, principal: Principal): Promise<SQL> {
  const orgId = principal.org?.id;
  const scope = scopeOf(principal.access, "users:read");
  if (!orgId || scope.kind !== "subtrees") return visibleMembersCondition(principal);
  const ids = (await db.select({ id: branches.id }).from(branches).where(and(eq(branches.orgId, orgId), pathInScope(branches.path, scope))).limit(MAX_SCOPE_BRANCH_IDS + 1)).map((b) => b.id);
  if (ids.length > MAX_SCOPE_BRANCH_IDS) return visibleMembersCondition(principal);
  if (ids.length === 0) return sql`false`;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  return and(eq(memberships.orgId, orgId), sql`exists (select 1 from ${grants} where ${grants.membershipId} = ${memberships.id} and ${grants.orgId} = ${orgId} and ${grants.branchId} in (${list}))`)!;
}

// Each sort is its index's columns (migration member_directory), the id last.
const ORDERS: Record<MemberListQuery["sort"], MemberOrder> = {
  email: [memberships.emailKey, memberships.id],
  name: [memberships.nameKey, memberships.id],
  status: [memberships.statusKey, memberships.emailKey, memberships.id],
};

/** The filters of the Users page and GET /api/v1/members, each one SQL condition. */
export function memberFilterConditions(orgId: string, query: MemberListQuery): SQL[] {
  const out: SQL[] = [];
  if (query.status) out.push(eq(memberships.statusKey, query.status));
  if (query.source) out.push(eq(memberships.source, query.source));
  if (query.branchId) out.push(sql`exists (select 1 from ${grants} where ${grants.membershipId} = ${memberships.id} and ${grants.orgId} = ${orgId} and ${grants.branchId} = ${query.branchId})`);
  if (query.roleId) out.push(sql`exists (select 1 from ${grants} where ${grants.membershipId} = ${memberships.id} and ${grants.orgId} = ${orgId} and ${grants.roleId} = ${query.roleId})`);
  if (query.mfa) {
    // A person's factors are shown only once they have joined (ADR 0008): an invitation matches neither.
    const hasFactor = sql`(exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${memberships.userId} and ${totpFactors.confirmedAt} is not null) or exists (select 1 from ${webauthnCredentials} where ${webauthnCredentials.userId} = ${memberships.userId}))`;
    out.push(sql`${memberships.invitedEmail} is null`, query.mfa === "on" ? hasFactor : sql`not ${hasFactor}`);
  }
  if (query.noSignInDays) {
    // Joined members with no session begun in the last N days: the same sessions as the "Last
    // sign-in" column (member-columns.ts), so the count and the list agree. Invitations never match.
    const since = sql`now() - make_interval(days => ${query.noSignInDays}::int)`;
    out.push(sql`${memberships.invitedEmail} is null`, sql`not exists (select 1 from ${sessions} where ${sessions.userId} = ${memberships.userId} and ${sessions.createdAt} >= ${since})`);
  }
  return out;
}

/** The cursor's sort key values, its id last (checked as keysetCondition checks them). */
function cursorKeys(order: MemberOrder, cursorText: string, query: MemberListQuery, backwards: boolean): string[] {
  const field = backwards ? "before" : "cursor";
  const { value, id } = decodeCursor(cursorText, { sort: query.sort, dir: "asc", field });
  const parts = String(value).split("\n");
  if (parts.length !== order.length - 1) throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
  return [...parts, String(id)];
}

function keysetCondition(order: MemberOrder, cursorText: string, query: MemberListQuery, backwards: boolean): SQL {
  const field = backwards ? "before" : "cursor";
  const { value, id } = decodeCursor(cursorText, { sort: query.sort, dir: "asc", field });
  const parts = String(value).split("\n");
  if (parts.length !== order.length - 1) throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
  const columns = sql.join(order.map((c) => sql`${c}`), sql`, `);
  const values = sql.join([...parts.map((p) => sql`${p}`), sql`${id}::uuid`], sql`, `);
  return backwards ? sql`(${columns}) < (${values})` : sql`(${columns}) > (${values})`;
}

/**
 * One keyset page of members, sorted by email, name or status (then email), searched by a
 * substring of the shown email or name, filtered by status, source, branch, role and MFA. The
 * page's ids come from the memberships indexes alone (member-search.ts); its columns are then
 * read for those rows only (member-columns.ts), so a page costs the same at 1,000,000 members.
 */
export async function listMembers(db: Executor, principal: Principal, query: MemberListQuery): Promise<MemberPage> {
  if (scopeOf(principal.access, "users:read").kind === "none") throw new ForbiddenError("Listing members needs users:read.", "users:read");
  const orgId = principal.org!.id;
  const backwards = Boolean(query.before);
  const order = ORDERS[query.sort];
  const conditions: SQL[] = [await visibleMembersForList(db, principal), ...memberFilterConditions(orgId, query)];
  const cursorText = query.before ?? query.cursor;
  if (cursorText) conditions.push(keysetCondition(order, cursorText, query, backwards));
  // A search reads the matches in this order after the cursor (member-search.ts).
  const matchWalk = { sort: query.sort, after: cursorText ? cursorKeys(order, cursorText, query, backwards) : null };
  const keys = await selectMemberPage(db, conditions, order, backwards, query.q, query.limit + 1, matchWalk);
  const hasMore = keys.length > query.limit;
  const page = keys.slice(0, query.limit);
  if (backwards) page.reverse();
  const rows = await loadMemberColumns(db, orgId, page.map((k) => k.id));
  const cursorOf = (k: (typeof page)[number]) => encodeCursor(query.sort, "asc", k.keys.join("\n"), k.id);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    data: rows,
    nextCursor: (backwards || hasMore) && last ? cursorOf(last) : null,
    prevCursor: (backwards ? hasMore : Boolean(query.cursor)) && first ? cursorOf(first) : null,
  };
}

