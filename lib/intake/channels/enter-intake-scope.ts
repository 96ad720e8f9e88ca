import { applyTenantScope } from "@/db/tenant-scope";
import { findSupplier } from "@/lib/accounts/find-supplier";
import { NOT_SUPPLIER_MESSAGE } from "@/lib/accounts/supplier-scope";
import type { CommandContext } from "@/lib/core/command";
import type { OrgRef } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { tenantScopeOf } from "@/lib/core/read-as";

/**
 * Channel commands are the supplier's: the principal acts for the supplier org and holds
 * intake:manage at its root (an admin-class permission, so MFA applies through `authorize`).
 * A customer's member who was somehow given intake:manage still fails the first check, since
 * the permission is supplier-only. Then the supplier scope goes on, so the body can read the
 * accounts and their branches that mappings point at (row-level security allows nothing else).
 */
export async function enterIntakeScope(ctx: Pick<CommandContext, "tx" | "principal" | "authorize">): Promise<OrgRef> {
  const supplier = await findSupplier(ctx.tx);
  if (!supplier || !ctx.principal.org || ctx.principal.org.id !== supplier.id) throw new ForbiddenError(NOT_SUPPLIER_MESSAGE, "intake:manage");
  ctx.authorize("intake:manage", "");
  await applyTenantScope(ctx.tx, { ...tenantScopeOf(ctx.principal), supplierScope: true });
  return supplier;
}
