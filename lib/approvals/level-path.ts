import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";

/** The path of a step's level branch ("" for the org root, or a branch since deleted). */
export async function levelPathOf(db: Executor, orgId: string, branchId: string | null): Promise<string> {
  if (!branchId) return "";
  const [row] = await db.select({ path: branches.path }).from(branches).where(and(eq(branches.orgId, orgId), eq(branches.id, branchId)));
  return row?.path ?? "";
}
