import { and, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { memberFilterConditions, memberListQuerySchema, visibleMembersCondition } from "@/lib/identity/list-members";

/**
 * The People figures, each the count of one Users-page filter, so the number and the list it
 * links to agree: the query string is kept with the count.
 */
export const PEOPLE_FIGURES = {
  active: { status: "active" },
  invited: { status: "invited" },
  deactivated: { status: "deactivated" },
  mfaOn: { status: "active", mfa: "on" },
  mfaOff: { status: "active", mfa: "off" },
  noRecentSignIn: { status: "active", noSignInDays: "90" },
} as const satisfies Record<string, Record<string, string>>;

export type PeopleFigure = keyof typeof PEOPLE_FIGURES;
export type PeopleCounts = Record<PeopleFigure, number>;

/**
 * The counts, for a member with users:read (null without it), over the members they may list
 * (visibleMembersCondition), in one scan: one FILTER per figure.
 */
export async function countPeople(db: Executor, principal: Principal): Promise<PeopleCounts | null> {
  const orgId = principal.org?.id;
  if (!orgId || scopeOf(principal.access, "users:read").kind === "none") return null;
  const figures = Object.keys(PEOPLE_FIGURES) as PeopleFigure[];
  const filterOf = (figure: PeopleFigure): SQL => and(...memberFilterConditions(orgId, memberListQuerySchema.parse(PEOPLE_FIGURES[figure])))!;
  // drizzle has no count() FILTER helper: each column is count(*) with its figure's condition.
  const columns = Object.fromEntries(figures.map((f) => [f, sql<number>`count(*) filter (where ${filterOf(f)})`.mapWith(Number).as(f)])) as Record<PeopleFigure, SQL.Aliased<number>>;
  const [row] = await db.select(columns).from(memberships).where(visibleMembersCondition(principal));
  return Object.fromEntries(figures.map((f) => [f, row?.[f] ?? 0])) as PeopleCounts;
}
