import { sql } from "drizzle-orm";
import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";

// An installation is run by one supplier; every other organization is one of its customer
// accounts (docs/adr/0013-supplier-and-accounts.md).
export const orgKind = pgEnum("org_kind", ["account", "supplier"]);

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull().unique(),
    kind: orgKind("kind").notNull().default("account"),
    // Members holding an admin-class permission always need MFA; this extends it to everyone.
    requireMfa: boolean("require_mfa").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // At most one supplier per installation, whatever races the commands lose.
  (t) => [uniqueIndex("organizations_one_supplier_uq").on(t.kind).where(sql`${t.kind} = 'supplier'`)],
);

// A branch's `path` lists its ancestors' ids and its own, as "/a/b/c/". "This branch's whole
// subtree" is then `path LIKE '/a/b/%'`, one predicate served by a text_pattern_ops index
// (docs/adr/0003-branch-tree-materialized-path.md).
export const branches = pgTable(
  "branches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    parentId: uuid("parent_id").references((): AnyPgColumn => branches.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    path: text("path").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("branches_org_path_idx").using("btree", t.orgId, t.path.op("text_pattern_ops")),
    index("branches_parent_idx").on(t.parentId),
    uniqueIndex("branches_sibling_name_uq").on(t.orgId, sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`lower(${t.name})`),
  ],
);
