import { and, asc, eq, gt, isNotNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberImportRows, memberImports } from "@/db/schema";
import { holdsAnywhere } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { isUuid } from "@/lib/core/ids";
import type { MemberImportProgress } from "./apply-member-import-batch";

export interface MemberImportView {
  id: string;
  fileName: string;
  status: "ready" | "applying" | "applied";
  totalRows: number;
  errorRows: number;
  createdAt: string;
  progress: MemberImportProgress;
}

/** One import of the principal's org, for whoever may manage members (users:manage somewhere); else null. */
export async function getMemberImport(db: Executor, principal: Principal, importId: string): Promise<MemberImportView | null> {
  const orgId = principal.org?.id;
  if (!orgId || !isUuid(importId) || !holdsAnywhere(principal.access, "users:manage")) return null;
  const [row] = await db.select().from(memberImports).where(and(eq(memberImports.orgId, orgId), eq(memberImports.id, importId)));
  if (!row) return null;
  const validRows = row.totalRows - row.errorRows;
  return {
    id: row.id,
    fileName: row.fileName,
    status: row.status,
    totalRows: row.totalRows,
    errorRows: row.errorRows,
    createdAt: row.createdAt.toISOString(),
    progress: { validRows, appliedRows: row.appliedRows, invited: row.invitedCount, skipped: row.skippedCount, failed: row.failedCount, done: row.status === "applied" || validRows === 0 },
  };
}

export interface MemberImportRowView {
  rowNo: number;
  email: string | null;
  outcome: "invited" | "skipped" | "failed" | null;
  errors: Array<{ column: string; message: string }> | null;
}

/**
 * Rows of an import after `afterRowNo`, by row number (a keyset, so the result report streams a
 * 100,000-row file in pages); `onlyErrors` for the preview's error list. Call after getMemberImport.
 */
export async function listMemberImportRows(db: Executor, orgId: string, importId: string, { afterRowNo = 0, limit = 200, onlyErrors = false } = {}): Promise<MemberImportRowView[]> {
  return db
    .select({ rowNo: memberImportRows.rowNo, email: memberImportRows.email, outcome: memberImportRows.outcome, errors: memberImportRows.errors })
    .from(memberImportRows)
    .where(and(eq(memberImportRows.orgId, orgId), eq(memberImportRows.importId, importId), gt(memberImportRows.rowNo, afterRowNo), onlyErrors ? isNotNull(memberImportRows.errors) : undefined))
    .orderBy(asc(memberImportRows.rowNo))
    .limit(limit);
}
