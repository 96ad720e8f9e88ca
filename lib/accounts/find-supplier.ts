import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations } from "@/db/schema";
import type { OrgRef } from "@/lib/core/context";

/**
 * The installation's supplier, or null before `supplier create`. Any transaction with a tenant
 * (and the operator) can read this one row: customers know who their supplier is.
 */
export async function findSupplier(db: Executor): Promise<OrgRef | null> {
  const [row] = await db.select({ id: organizations.id, slug: organizations.slug, name: organizations.name }).from(organizations).where(eq(organizations.kind, "supplier")).limit(1);
  return row ?? null;
}

/** Whether `orgId` is the supplier's organization. */
export async function isSupplierOrg(db: Executor, orgId: string): Promise<boolean> {
  const supplier = await findSupplier(db);
  return supplier?.id === orgId;
}
