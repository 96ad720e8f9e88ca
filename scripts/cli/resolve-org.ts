import type { Executor } from "@/db/client";
import type { OrgRef } from "@/lib/core/context";
import { NotFoundError } from "@/lib/core/errors";
import { findOrgBySlug } from "@/lib/core/system-principal";

/** The organization named by --org, or a not-found error naming the flag. */
export async function resolveOrg(db: Executor, slug: string): Promise<OrgRef> {
  try {
    return await findOrgBySlug(db, slug.trim());
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`--org: organization "${slug.trim()}"`);
    throw error;
  }
}
