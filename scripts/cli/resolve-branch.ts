import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";
import { findBranch, findBranchByName, type BranchRow } from "@/lib/branches/find-branch";
import type { OrgRef } from "@/lib/core/context";
import { NotFoundError, ValidationError } from "@/lib/core/errors";

/**
 * A branch given on the command line by id or by name (case-insensitive). Unknown is not-found
 * and ambiguous is a validation error, both naming the flag (`--parent`, `--branch`).
 */
export async function resolveBranch(db: Executor, org: OrgRef, value: string, { flag, field }: { flag: string; field: string }): Promise<BranchRow> {
  const wanted = value.trim();
  if (!wanted) throw new ValidationError({ [field]: ["must be a branch name or id"] });
  const byId = await findBranch(db, org.id, wanted);
  if (byId) return byId;
  const byName = await findBranchByName(db, org.id, wanted);
  if (byName) return byName;
  const namesakes = await db
    .select({ id: branches.id })
    .from(branches)
    .where(and(eq(branches.orgId, org.id), eq(sql`lower(${branches.name})`, wanted.toLowerCase())));
  if (namesakes.length > 1) {
    throw new ValidationError({ [field]: [`${namesakes.length} branches in "${org.slug}" are named "${wanted}" (ids ${namesakes.map((b) => b.id).join(", ")}); pass one id instead`] });
  }
  throw new NotFoundError(`--${flag}: branch "${wanted}" in organization "${org.slug}"`);
}
