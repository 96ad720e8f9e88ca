"use client";

import Link from "next/link";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import type { OrderSortKey, OrderSummary } from "@/lib/orders/schemas";
import { formatDate, formatMoney } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { toQueryString } from "@/components/ui/query-string";

const column = createColumnHelper<OrderSummary>();

/**
 * On a narrow screen the table scrolls inside its own box; the order number (left) and the total
 * (right) stay pinned, so each row still says which order and how much while the rest scrolls.
 */
function pinned(columnId: string, background: string): string {
  if (columnId === "number") return `sticky left-0 ${background}`;
  if (columnId === "totalMinor") return `sticky right-0 text-right ${background}`;
  return "";
}

interface Props {
  orgSlug: string;
  rows: OrderSummary[];
  sort: OrderSortKey;
  dir: "asc" | "desc";
  baseQuery: Record<string, string | number | undefined>;
  filtered: boolean;
}

/**
 * Server-sorted, server-paged table: TanStack renders what the server sent, and sorting is a
 * link that changes the URL (manualSorting), so the sort survives reloads and sharing.
 */
export function OrdersTable({ orgSlug, rows, sort, dir, baseQuery, filtered }: Props) {
  const base = `/orgs/${orgSlug}/orders`;
  const sortable: Record<string, OrderSortKey> = { number: "number", totalMinor: "total", placedAt: "placed" };
  const columns = [
    column.accessor("number", {
      header: "Order",
      cell: (c) => (
        <Link className="font-medium text-brand-700 underline-offset-2 hover:underline" href={`${base}/${c.row.original.id}`}>
          {c.getValue()}
        </Link>
      ),
    }),
    column.accessor("placedAt", { header: "Placed", cell: (c) => formatDate(c.getValue()) }),
    column.accessor("branchName", { header: "Branch" }),
    column.accessor("buyerName", { header: "Buyer" }),
    column.accessor("status", { header: "Status", cell: (c) => <StatusBadge status={c.getValue()} /> }),
    column.accessor("totalMinor", { header: "Total", cell: (c) => <span className="tabular-nums">{formatMoney(c.getValue(), c.row.original.currency)}</span> }),
  ];
  // eslint-disable-next-line react-hooks/incompatible-library -- the React Compiler is not enabled, so there is no memoization to go stale
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, manualPagination: true });

  if (rows.length === 0) {
    return <EmptyState title={filtered ? "No orders match these filters" : "No orders you can see yet"}>{filtered ? "Try another status or branch, or clear the filters." : "Orders placed in branches your role covers will appear here."}</EmptyState>;
  }
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const key = sortable[header.column.id];
                const active = key === sort;
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th key={header.id} scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined} className={`px-3 py-2 font-medium ${pinned(header.column.id, "bg-slate-50")}`}>
                    {key ? (
                      <Link href={base + toQueryString({ ...baseQuery, sort: key, dir: active && dir === "desc" ? "asc" : "desc" })} className="inline-flex items-center gap-1 hover:text-slate-900">
                        {label}
                        <span aria-hidden="true">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
                      </Link>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={`px-3 py-2 ${pinned(cell.column.id, "bg-white")}`}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
