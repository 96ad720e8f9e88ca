import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";
import { ConflictError } from "@/lib/core/errors";

/** Sibling branches have distinct names (case-insensitive), so a tree reads unambiguously. */
export async function assertUniqueSiblingName(db: Executor, orgId: string, parentId: string | null, name: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: branches.id })
    .from(branches)
    .where(
      and(
        eq(branches.orgId, orgId),
        parentId ? eq(branches.parentId, parentId) : isNull(branches.parentId),
        eq(sql`lower(${branches.name})`, name.toLowerCase()),
        exceptId ? ne(branches.id, exceptId) : undefined,
      ),
    );
  if (clash) throw new ConflictError(`A branch named "${name}" already exists there.`, "name");
}
