import { bigint, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { branches, organizations } from "./organizations";
import { memberships } from "./identity";

export const roles = pgTable(
  "roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("roles_org_name_uq").on(t.orgId, t.name)],
);

// Role inheritance: `roleId` gets every permission of `inheritsRoleId` (and of what that one
// inherits). The graph has no cycles; lib/access/role-graph.ts rejects an edge that would close one.
export const roleInherits = pgTable(
  "role_inherits",
  {
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    roleId: uuid("role_id").notNull().references(() => roles.id, { onDelete: "cascade" }),
    inheritsRoleId: uuid("inherits_role_id").notNull().references(() => roles.id, { onDelete: "restrict" }),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.inheritsRoleId] }), index("role_inherits_inherited_idx").on(t.inheritsRoleId), check("role_inherits_not_self", sql`${t.roleId} <> ${t.inheritsRoleId}`)],
);

// One member, one role, one branch (null = the org root), covering that branch's subtree.
export const grants = pgTable(
  "grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id").notNull().references(() => memberships.id, { onDelete: "cascade" }),
    roleId: uuid("role_id").notNull().references(() => roles.id, { onDelete: "restrict" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "restrict" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    // Condition for orders:approve: the largest order total this grant may approve.
    approvalLimitMinor: bigint("approval_limit_minor", { mode: "number" }),
    approvalLimitCurrency: text("approval_limit_currency"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("grants_membership_idx").on(t.membershipId),
    index("grants_role_idx").on(t.roleId),
    index("grants_branch_idx").on(t.branchId),
    check("grants_limit_has_currency", sql`(${t.approvalLimitMinor} is null) = (${t.approvalLimitCurrency} is null)`),
  ],
);
