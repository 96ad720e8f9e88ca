import { bigint, boolean, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { branches, organizations } from "./organizations";
import { users } from "./identity";
import { orders } from "./orders";

/**
 * An approval rule, attached to a branch (null: the org root) and inherited by its subtree.
 * Every condition set must hold for the rule to match; an empty one is no condition. The tiers
 * are ordered; a tier is a list of groups that must all approve (AND), a group a list of role
 * ids any one of which may approve (OR).
 */
export const approvalRules = pgTable(
  "approval_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    active: boolean("active").notNull().default(true),
    // Matches an order whose total, in the account's base currency, is above this.
    overTotalMinor: bigint("over_total_minor", { mode: "number" }),
    minLines: integer("min_lines"),
    skus: text("skus").array().notNull().default([]),
    categories: text("categories").array().notNull().default([]),
    requesterRoleIds: uuid("requester_role_ids").array().notNull().default([]),
    tiers: jsonb("tiers").$type<string[][][]>().notNull(),
    // Per role id: the largest base-currency total a holder of that role may approve of their own.
    selfApprovalLimits: jsonb("self_approval_limits").$type<Record<string, number>>().notNull().default({}),
    escalateAfterHours: integer("escalate_after_hours"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("approval_rules_org_branch_idx").on(t.orgId, t.branchId)],
);

export const approvalStepStatus = pgEnum("approval_step_status", ["pending", "approved", "rejected", "withdrawn"]);

/**
 * One group of one tier of one matched rule, for one submitted order: it waits for one approval
 * from a holder of any of its roles. Only the current tier's steps have `waiting_since`; the
 * next tier's are set waiting when the current one is complete. The rule's name and tier are
 * copied, so the history stays true when the rule is edited or deleted.
 */
export const approvalSteps = pgTable(
  "approval_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id"),
    ruleName: text("rule_name").notNull(),
    tierNo: integer("tier_no").notNull(),
    groupNo: integer("group_no").notNull(),
    roleIds: uuid("role_ids").array().notNull(),
    selfApprovalLimits: jsonb("self_approval_limits").$type<Record<string, number>>().notNull().default({}),
    status: approvalStepStatus("status").notNull().default("pending"),
    // Who is asked: approvers whose grant covers this branch (null: the org root). Escalation
    // moves it up the tree, one level per period, and stops at the root.
    levelBranchId: uuid("level_branch_id"),
    escalations: integer("escalations").notNull().default(0),
    escalateAfterHours: integer("escalate_after_hours"),
    // Millisecond precision, so the inbox's keyset cursor round-trips.
    waitingSince: timestamp("waiting_since", { withTimezone: true, precision: 3 }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    // The approver a delegate decided for (approval_delegations), or null when they decided as themselves.
    decidedFor: uuid("decided_for").references(() => users.id, { onDelete: "restrict" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    comment: text("comment").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("approval_steps_order_idx").on(t.orderId, t.tierNo, t.groupNo),
    // The inbox and the escalation sweep: waiting steps, oldest first.
    index("approval_steps_waiting_idx").on(t.orgId, t.status, t.waitingSince, t.id),
  ],
);

/**
 * An approver's stand-in for a period [starts_at, ends_at): the delegate may decide the steps the
 * delegator is eligible for, but only within their own orders:approve scope and approval limit
 * (lib/approvals/delegate-eligibility.ts). Ending one early moves ends_at to now.
 */
export const approvalDelegations = pgTable(
  "approval_delegations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    delegatorId: uuid("delegator_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    delegateId: uuid("delegate_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("approval_delegations_delegate_idx").on(t.orgId, t.delegateId, t.endsAt),
    index("approval_delegations_delegator_idx").on(t.orgId, t.delegatorId, t.endsAt),
    check("approval_delegations_period", sql`${t.endsAt} >= ${t.startsAt}`),
    check("approval_delegations_not_self", sql`${t.delegatorId} <> ${t.delegateId}`),
  ],
);
