import { z } from "zod";
import { enterSupplierScope } from "@/lib/accounts/supplier-scope";
import { defineCommand } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { accountOrderExportFiltersSchema, orderExportFiltersSchema } from "./export-schemas";
import { visibleOrderAlternatives } from "./order-scope";

const NEEDS_ORDERS = "Exporting orders needs orders:read (or orders:read-own for your own orders) in this organization.";

/**
 * Records an order list's CSV export before its first byte is sent, as the audit export does: a
 * bulk copy leaving the system is on the record even if the download is then abandoned. The
 * buyer's list exports what the person may read (the list's own scope); the supplier's list
 * across accounts needs orders:read at the supplier's root, checked in the supplier scope.
 */
export const recordOrderExportCommand = defineCommand({
  name: "orders.exported",
  description: "An order list was exported as CSV, recorded before the first row is sent: which list (`orders`, the organization's own; `account-orders`, the supplier's across accounts) and the filters used.",
  access: "authenticated",
  input: z.discriminatedUnion("list", [
    z.object({ list: z.literal("orders"), filters: orderExportFiltersSchema }),
    z.object({ list: z.literal("account-orders"), filters: accountOrderExportFiltersSchema }),
  ]),
  async run(ctx, input) {
    if (input.list === "account-orders") await enterSupplierScope(ctx, "orders:read");
    else if (visibleOrderAlternatives(ctx.principal).length === 0) throw new ForbiddenError(NEEDS_ORDERS, "orders:read");
    return { result: null, metadata: { list: input.list, filters: input.filters } };
  },
});
