import { and, eq, sql } from "drizzle-orm";
import { isUuid } from "@/lib/core/ids";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";

export type BranchRow = typeof branches.$inferSelect;

/** A branch of this org by id; null for another org's id or a malformed one. */
export async function findBranch(db: Executor, orgId: string, branchId: string): Promise<BranchRow | null> {
  if (!isUuid(branchId)) return null;
  const [row] = await db.select().from(branches).where(and(eq(branches.orgId, orgId), eq(branches.id, branchId)));
  return row ?? null;
}

/** A branch of this org by name (case-insensitive); null when none or when the name is ambiguous. */
export async function findBranchByName(db: Executor, orgId: string, name: string): Promise<BranchRow | null> {
  const rows = await db
    .select()
    .from(branches)
    .where(and(eq(branches.orgId, orgId), eq(sql`lower(${branches.name})`, name.trim().toLowerCase())))
    .limit(2);
  return rows.length === 1 ? rows[0]! : null;
}
