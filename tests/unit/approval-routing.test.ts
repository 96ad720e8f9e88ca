import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Access, EffectiveGrant } from "@/lib/access/access";
import type { Permission } from "@/lib/access/permissions";
import type { RoleGraph, RoleNode } from "@/lib/access/role-graph";
import { applyDecision, checkEligibility, escalateLevel, isWithinPath, outcomeOf, type StepStatus } from "@/lib/approvals/routing";

/**
 * Properties of the approval routing (lib/approvals/routing.ts), the one check every decision,
 * inbox row, dry run and mail recipient goes through.
 */

const treeArb = fc.array(fc.nat(), { minLength: 1, maxLength: 25 }).map((parents) => {
  const paths: string[] = [];
  parents.forEach((p, i) => paths.push(`${i === 0 || p % (i + 1) === i ? "/" : paths[p % i]!}b${i}/`));
  return paths;
});

const ROLES = ["manager", "admin", "approver", "buyer"];
// Manager inherits approver; admin stands alone; buyer cannot approve.
const graph: RoleGraph = new Map<string, RoleNode>([
  ["approver", { id: "approver", name: "Approver", permissions: new Set<Permission>(["orders:approve"]), inherits: [] }],
  ["manager", { id: "manager", name: "Manager", permissions: new Set<Permission>(["orders:create"]), inherits: ["approver"] }],
  ["admin", { id: "admin", name: "Admin", permissions: new Set<Permission>(["orders:approve", "orders:create"]), inherits: [] }],
  ["buyer", { id: "buyer", name: "Buyer", permissions: new Set<Permission>(["orders:create"]), inherits: [] }],
]);
const permsOf = (role: string) => new Set<Permission>([...(graph.get(role)!.permissions), ...(role === "manager" ? (["orders:approve"] as Permission[]) : [])]);

const worldArb = treeArb.chain((paths) =>
  fc.record({
    paths: fc.constant(paths),
    orderAt: fc.nat({ max: paths.length - 1 }),
    total: fc.integer({ min: 0, max: 10_000_000 }),
    grants: fc.array(fc.record({ at: fc.nat(), root: fc.boolean(), role: fc.constantFrom(...ROLES), limit: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }), currency: fc.constantFrom("USD", "EUR", "JPY") }), { maxLength: 5 }),
    stepRoles: fc.subarray(ROLES, { minLength: 1 }),
    selfLimits: fc.dictionary(fc.constantFrom(...ROLES), fc.integer({ min: 0, max: 10_000_000 }), { maxKeys: 2 }),
    levelUp: fc.nat({ max: 6 }),
    approverIsBuyer: fc.boolean(),
  }),
);

// USD is the base; EUR at 1.10; JPY is not an account currency, so no limit in it ever counts.
const limitToBase = (l: { amountMinor: number; currency: string }) => (l.currency === "USD" ? l.amountMinor : l.currency === "EUR" ? Math.round(l.amountMinor * 1.1) : null);

function build(w: { paths: string[]; orderAt: number; total: number; grants: Array<{ at: number; root: boolean; role: string; limit: number | null; currency: string }>; stepRoles: string[]; selfLimits: Record<string, number>; levelUp: number; approverIsBuyer: boolean }) {
  const orderPath = w.paths[w.orderAt]!;
  let level = orderPath;
  for (let i = 0; i < w.levelUp; i++) level = escalateLevel(level) ?? level;
  const grants: EffectiveGrant[] = w.grants.map((g, i) => ({
    grantId: `g${i}`,
    roleId: g.role,
    roleName: g.role,
    branchId: null,
    branchName: null,
    branchPath: g.root ? "" : w.paths[g.at % w.paths.length]!,
    permissions: permsOf(g.role),
    expiresAt: null,
    approvalLimit: g.limit === null ? null : { amountMinor: g.limit, currency: g.currency },
  }));
  const access: Access = { kind: "grants", grants, roles: graph };
  const order = { branchPath: orderPath, buyerId: "buyer-1", baseTotalMinor: w.total };
  const step = { roleIds: w.stepRoles, selfApprovalLimits: w.selfLimits, levelPath: level };
  return { access, order, step, approverId: w.approverIsBuyer ? "buyer-1" : "approver-1" };
}

describe("approval routing properties (fast-check)", () => {
  it("never self-approval: an approver deciding their own order is eligible only under a self-approval limit of their role that covers the total", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { access, order, step, approverId } = build(w);
        const verdict = checkEligibility(access, approverId, step, order, limitToBase);
        if (verdict.eligible && approverId === order.buyerId) {
          expect(step.selfApprovalLimits[verdict.roleId]).toBeGreaterThanOrEqual(order.baseTotalMinor);
        }
        // With no self-approval limits at all, nobody ever approves their own order.
        expect(checkEligibility(access, order.buyerId, { ...step, selfApprovalLimits: {} }, order, limitToBase).eligible).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("an approver is always in scope, with a sufficient limit: the grant carries orders:approve, covers the order's branch and the level, holds a tier role, and its limit (in base currency) is at or above the total", () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const { access, order, step, approverId } = build(w);
        const verdict = checkEligibility(access, approverId, step, order, limitToBase);
        if (!verdict.eligible) return;
        const g = verdict.grant;
        expect(g.permissions.has("orders:approve")).toBe(true);
        expect(isWithinPath(order.branchPath, g.branchPath)).toBe(true);
        expect(isWithinPath(step.levelPath, g.branchPath)).toBe(true);
        expect(step.roleIds).toContain(verdict.roleId);
        if (g.approvalLimit) expect(limitToBase(g.approvalLimit)).not.toBeNull();
        if (g.approvalLimit) expect(limitToBase(g.approvalLimit)!).toBeGreaterThanOrEqual(order.baseTotalMinor);
      }),
      { numRuns: 500 },
    );
  });

  it("escalation ends at the root: from any branch, each step goes one level up, and after the tree's depth it is the root and stops", () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), (paths, pick) => {
        let level: string | null = paths[pick % paths.length]!;
        const depth = level.split("/").filter(Boolean).length;
        const seen: string[] = [];
        while (level !== null) {
          seen.push(level);
          const next = escalateLevel(level);
          if (next !== null) expect(isWithinPath(level, next) && next.length < level.length).toBe(true);
          level = next;
          expect(seen.length).toBeLessThanOrEqual(depth + 1);
        }
        expect(seen[seen.length - 1]).toBe("");
        expect(seen.length).toBe(depth + 1);
      }),
    );
  });

  it("a rejected order never becomes approved, whatever decisions come after", () => {
    const stepsArb = fc.array(fc.constantFrom<StepStatus>("pending", "approved"), { minLength: 1, maxLength: 6 }).map((st) => st.map((status, i) => ({ id: `s${i}`, status })));
    const decisionsArb = fc.array(fc.record({ step: fc.nat(), decision: fc.constantFrom("approved" as const, "rejected" as const) }), { maxLength: 12 });
    fc.assert(
      fc.property(stepsArb, decisionsArb, (initial, decisions) => {
        let steps = initial;
        let rejected = false;
        for (const d of decisions) {
          steps = applyDecision(steps, steps[d.step % steps.length]!.id, d.decision);
          if (outcomeOf(steps) === "rejected") rejected = true;
          if (rejected) expect(outcomeOf(steps)).toBe("rejected");
        }
      }),
      { numRuns: 500 },
    );
  });
});
