import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations } from "./organizations";

/**
 * A members CSV uploaded for import (lib/identity/import/): checked row by row when uploaded (the
 * preview), then applied in batches, each one audited command. The counters drive the progress bar.
 */
export const memberImports = pgTable(
  "member_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    contentSha256: text("content_sha256").notNull(),
    status: text("status").$type<"ready" | "applying" | "applied">().notNull().default("ready"),
    totalRows: integer("total_rows").notNull().default(0),
    errorRows: integer("error_rows").notNull().default(0),
    appliedRows: integer("applied_rows").notNull().default(0),
    invitedCount: integer("invited_count").notNull().default(0),
    skippedCount: integer("skipped_count").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("member_imports_org_idx").on(t.orgId, t.createdAt)],
);

/** One data row: its checked values or its errors (column and reason), then what applying it did. */
export const memberImportRows = pgTable(
  "member_import_rows",
  {
    importId: uuid("import_id").notNull().references(() => memberImports.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    // As a spreadsheet numbers it: the header is row 1.
    rowNo: integer("row_no").notNull(),
    email: text("email"),
    data: jsonb("data").$type<{ email: string; name?: string; roleName: string; branchId: string | null }>(),
    errors: jsonb("errors").$type<Array<{ column: string; message: string }>>(),
    // invited: a new membership; skipped: already a member (the same file again); failed: refused when applied (why in `errors`).
    outcome: text("outcome").$type<"invited" | "skipped" | "failed">(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNo] })],
);
