import { and, asc, eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalSteps, branches, orders, users } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { inheritedRoleIds } from "@/lib/access/role-graph";
import { pathInScope } from "@/lib/access/scope-condition";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { actorUserId, type Principal } from "@/lib/core/context";
import { cursorInstant, decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { limitToBaseWith } from "./limit-to-base";
import { checkEligibility } from "./routing";
import { loadActiveDelegators } from "./active-delegators";
import { checkDelegateEligibility, type Delegator } from "./delegate-eligibility";

export interface WaitingApproval {
  stepId: string;
  orderId: string;
  orderNumber: string;
  orderVersion: number;
  branchName: string;
  buyerName: string;
  currency: string;
  totalMinor: number;
  baseTotalMinor: number | null;
  rule: string;
  tier: number;
  escalations: number;
  waitingSince: string;
  /** The colleague the caller would decide it for, as their delegate; null when it is the caller's own. */
  onBehalfOf: string | null;
}

export interface WaitingPage {
  data: WaitingApproval[];
  nextCursor: string | null;
}

/**
 * What waits for the caller: steps of the tier now waiting, on orders in their orders:approve
 * scope, that they are eligible for (the same check as a decision), oldest first, in keyset
 * pages over (waiting_since, id). SQL narrows by scope and by the roles the caller holds; the
 * limit and self-approval checks run on that page's candidates, so a page may hold fewer rows
 * than asked while the cursor still moves on.
 */
export async function listWaitingApprovals(db: Executor, principal: Principal, query: { cursor?: string; limit: number }): Promise<WaitingPage> {
  const orgId = principal.org?.id;
  const userId = actorUserId(principal.actor);
  const access = principal.access;
  if (!orgId || !userId || access.kind !== "grants") return { data: [], nextCursor: null };
  const scope = scopeOf(access, "orders:approve");
  if (scope.kind === "none") return { data: [], nextCursor: null };
  // The colleagues the caller stands in for now: their roles count too (each step is then checked
  // for the delegator and for the caller's own scope and limit).
  const delegators = await loadActiveDelegators(db, orgId, userId);
  const rolesOf = (a: typeof access | Delegator["access"]) => (a.kind === "grants" ? a.grants.filter((g) => g.permissions.has("orders:approve")).flatMap((g) => inheritedRoleIds(a.roles, g.roleId)) : []);
  const held = [...new Set([access, ...delegators.map((d) => d.access)].flatMap(rolesOf))];
  if (held.length === 0) return { data: [], nextCursor: null };
  const stepConditions = [eq(approvalSteps.orgId, orgId), eq(approvalSteps.status, "pending"), isNotNull(approvalSteps.waitingSince)];
  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor, { sort: "waiting", dir: "asc", field: "cursor" });
    const since = cursorInstant(value, "cursor");
    stepConditions.push(sql`(${approvalSteps.waitingSince}, ${approvalSteps.id}) > (${since.toISOString()}::timestamptz, ${id}::uuid)`);
  }
  const joinConditions = [eq(orders.status, "submitted"), ...(scope.kind === "subtrees" ? [pathInScope(branches.path, scope)] : [])];
  const take = query.limit * 2;
  const rows = await selectWaitingRows(db, stepConditions, held, joinConditions, take);
  const levelIds = [...new Set(rows.map((r) => r.step.levelBranchId).filter((x): x is string => Boolean(x)))];
  const levels = new Map(levelIds.length ? (await db.select({ id: branches.id, path: branches.path }).from(branches).where(and(eq(branches.orgId, orgId), inArray(branches.id, levelIds)))).map((b) => [b.id, b.path]) : []);
  const limitToBase = limitToBaseWith(await loadAccountTerms(db, orgId));
  const data: WaitingApproval[] = [];
  let last: (typeof rows)[number] | null = null;
  const orderIds = [...new Set(rows.map((r) => r.order.id))];
  const decided = await decidersOf(db, orgId, orderIds);
  for (const r of rows) {
    if (data.length >= query.limit) break;
    last = r;
    const deciders = decided.get(r.order.id) ?? new Set<string>();
    if (deciders.has(userId)) continue;
    const step = { roleIds: r.step.roleIds, selfApprovalLimits: r.step.selfApprovalLimits, levelPath: r.step.levelBranchId ? (levels.get(r.step.levelBranchId) ?? "") : "" };
    const facts = { branchPath: r.branchPath, buyerId: r.order.buyerId, baseTotalMinor: r.order.baseTotalMinor ?? r.order.totalMinor };
    let onBehalfOf: string | null = null;
    if (!checkEligibility(access, userId, step, facts, limitToBase).eligible) {
      const stand = delegators.find((d) => !deciders.has(d.userId) && checkDelegateEligibility(access, userId, d, step, facts, limitToBase).eligible);
      if (!stand) continue;
      onBehalfOf = stand.name;
    }
    data.push({
      stepId: r.step.id,
      orderId: r.order.id,
      orderNumber: r.order.number,
      orderVersion: r.order.version,
      branchName: r.branchName,
      buyerName: r.buyerName,
      currency: r.order.currency,
      totalMinor: r.order.totalMinor,
      baseTotalMinor: r.order.baseTotalMinor,
      rule: r.step.ruleName,
      tier: r.step.tierNo,
      escalations: r.step.escalations,
      waitingSince: r.step.waitingSince!.toISOString(),
      onBehalfOf,
    });
  }
  const more = rows.length === take || (last !== null && last !== rows[rows.length - 1]);
  return { data, nextCursor: more && last ? encodeCursor("waiting", "asc", last.step.waitingSince!.toISOString(), last.step.id) : null };
}

/** Candidate steps joined per row wanted (room for some the scope drops); how many chunks the walk takes at most (each twice the last). */
const WINDOW_FACTOR = 1.25;
const MAX_CHUNKS = 6;

/**
 * The page's rows, oldest first. The planner cannot judge how many steps the role overlap keeps
 * (at 5,000 waiting in an account it guessed 10 to 216), so it collected every waiting step and
 * joined each to its order, branch and buyer before sorting: 85 ms at 10M orders. Instead the
 * (org, status, waiting_since, id) index is walked in order, a chunk at a time (the window's size, then doubling), keeping the
 * steps one of the caller's roles may decide, until `take × 1.25` candidates are found; only they
 * are joined. That is the whole join's answer when at least `take` of them pass the joined
 * conditions (they are then its first `take` rows), or when the walk reached the end. Otherwise
 * (a scope that keeps few of them, or more than MAX_CHUNKS chunks to walk) the whole join runs.
 */
async function selectWaitingRows(db: Executor, stepConditions: SQL[], held: string[], joinConditions: SQL[], take: number) {
  const heldRoles = sql`array[${sql.join(held.map((id) => sql`${id}::uuid`), sql`, `)}]`;
  const joined = (extra: SQL[]) =>
    db
      .select({ step: approvalSteps, order: orders, branchPath: branches.path, branchName: branches.name, buyerName: users.name })
      .from(approvalSteps)
      .innerJoin(orders, eq(orders.id, approvalSteps.orderId))
      .innerJoin(branches, eq(branches.id, orders.branchId))
      .innerJoin(users, eq(users.id, orders.buyerId))
      .where(and(...stepConditions, sql`${approvalSteps.roleIds} && ${heldRoles}`, ...joinConditions, ...extra))
      .orderBy(asc(approvalSteps.waitingSince), asc(approvalSteps.id))
      .limit(take);
  const window = Math.ceil(take * WINDOW_FACTOR);
  const mine = new Set(held);
  const ids: string[] = [];
  let after: SQL | null = null;
  for (let chunk = 0, size = window; chunk < MAX_CHUNKS; chunk++, size *= 2) {
    // The limit is written into the statement, not bound: with a bound limit the prepared
    // statement's generic plan read every waiting step and sorted them (7 ms, against 1 ms).
    const steps: Array<{ id: string; roleIds: string[]; waitingSince: Date | null }> = await db
      .select({ id: approvalSteps.id, roleIds: approvalSteps.roleIds, waitingSince: approvalSteps.waitingSince })
      .from(approvalSteps)
      .where(and(...stepConditions, ...(after ? [after] : [])))
      .orderBy(asc(approvalSteps.waitingSince), sql`${approvalSteps.id} asc limit ${sql.raw(String(size))}`);
    for (const step of steps) {
      if (step.roleIds.some((r) => mine.has(r))) ids.push(step.id);
      if (ids.length === window) break;
    }
    const reachedEnd = steps.length < size;
    if (ids.length === window || reachedEnd) {
      const rows = ids.length ? await joined([inArray(approvalSteps.id, ids)]) : [];
      return rows.length === take || (reachedEnd && ids.length < window) ? rows : joined([]);
    }
    const last = steps[steps.length - 1]!;
    after = sql`(${approvalSteps.waitingSince}, ${approvalSteps.id}) > (${last.waitingSince!.toISOString()}::timestamptz, ${last.id}::uuid)`;
  }
  return joined([]);
}

/** Per order, who has decided a step of it (in person or through a delegate): one person, one step. */
async function decidersOf(db: Executor, orgId: string, orderIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (orderIds.length === 0) return out;
  const rows = await db
    .select({ orderId: approvalSteps.orderId, by: approvalSteps.decidedBy, for: approvalSteps.decidedFor })
    .from(approvalSteps)
    .where(and(eq(approvalSteps.orgId, orgId), isNotNull(approvalSteps.decidedBy), inArray(approvalSteps.orderId, orderIds)));
  for (const r of rows) {
    const set = out.get(r.orderId) ?? new Set<string>();
    for (const id of [r.by, r.for]) if (id) set.add(id);
    out.set(r.orderId, set);
  }
  return out;
}
