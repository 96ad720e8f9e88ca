import { z } from "zod";
import { supplierOrderListQuerySchema } from "@/lib/accounts/schemas";
import { orderListQuerySchema } from "./schemas";

/*
 * An order list's CSV export takes the list's own filters and sort, never its page: the whole
 * filtered list is streamed. The same schemas as the lists, so a filter means the same thing.
 */
export const orderExportFiltersSchema = orderListQuerySchema.omit({ cursor: true, before: true, limit: true }).strict();
export type OrderExportFilters = z.output<typeof orderExportFiltersSchema>;

export const accountOrderExportFiltersSchema = supplierOrderListQuerySchema.omit({ cursor: true, before: true, limit: true });
export type AccountOrderExportFilters = z.output<typeof accountOrderExportFiltersSchema>;

export const orderExportLists = ["orders", "account-orders"] as const;
export type OrderExportList = (typeof orderExportLists)[number];
