import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { branchAddresses } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { notFound, type CommandContext } from "@/lib/core/command";
import { isUuid } from "@/lib/core/ids";

/** The branch (this org's, and branches:manage there) for an address command, or 404 / 403. */
export async function loadManagedBranch(ctx: CommandContext, branchId: string) {
  const orgId = ctx.principal.org?.id ?? notFound("Organization");
  const branch = (await findBranch(ctx.tx, orgId, branchId)) ?? notFound("Branch");
  ctx.authorize("branches:manage", branch.path);
  return { orgId, branch };
}

export async function loadAddress(tx: Tx, orgId: string, branchId: string, addressId: string) {
  if (!isUuid(addressId)) notFound("Address");
  const [row] = await tx.select().from(branchAddresses).where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branchId), eq(branchAddresses.id, addressId)));
  return row ?? notFound("Address");
}

export function describeAddress(a: { label: string; lines: string[]; city: string; region: string; postalCode: string; country: string; isShipTo: boolean; isDefault: boolean }) {
  return { label: a.label, lines: a.lines, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country, isShipTo: a.isShipTo, isDefault: a.isDefault };
}
