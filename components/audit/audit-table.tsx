"use client";

import Link from "next/link";
import { createColumnHelper, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { formatEventRef } from "@/lib/audit/event-ref";
import type { AuditEvent } from "@/lib/audit/schemas";
import { EmptyState } from "@/components/ui/empty-state";
import { OutcomeBadge } from "./outcome-badge";
import { formatAuditTime } from "./format-audit-time";

const column = createColumnHelper<AuditEvent>();

interface Props {
  orgSlug: string;
  rows: AuditEvent[];
  filtered: boolean;
}

/**
 * The trail, newest first, exactly as the server paged it (no client sorting: the order is the
 * keyset order). Strings arrive already encoded against control characters.
 */
export function AuditTable({ orgSlug, rows, filtered }: Props) {
  const base = `/orgs/${orgSlug}/audit`;
  const columns = [
    column.accessor("occurredAt", {
      header: "Time (UTC)",
      cell: (c) => (
        <Link className="font-medium whitespace-nowrap text-brand-700 tabular-nums underline-offset-2 hover:underline" href={`${base}/${formatEventRef(c.row.original.shard, c.row.original.seq)}`}>
          {formatAuditTime(c.getValue())}
        </Link>
      ),
    }),
    column.accessor("actorLabel", {
      header: "Actor",
      cell: (c) => (
        <span className="break-all">
          {c.getValue() ?? "—"} <span className="text-xs text-slate-500">({c.row.original.actorType})</span>
        </span>
      ),
    }),
    column.accessor("action", { header: "Action", cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
    column.accessor("targetId", {
      header: "Target",
      // The name it had when the event was written (order number, branch name, member email); the id for older events.
      cell: (c) => {
        const { targetType, targetLabel } = c.row.original;
        if (!c.getValue()) return "—";
        if (targetLabel) return <span title={`${targetType ?? "?"}:${c.getValue()}`} className="break-all"><span className="text-xs text-slate-500">{targetType ?? "?"}</span> {targetLabel}</span>;
        return <span className="font-mono text-xs break-all">{`${targetType ?? "?"}:${c.getValue()}`}</span>;
      },
    }),
    column.accessor("outcome", { header: "Outcome", cell: (c) => <OutcomeBadge outcome={c.getValue()} /> }),
    column.accessor("ip", { header: "IP", cell: (c) => <span className="font-mono text-xs">{c.getValue() ?? "—"}</span> }),
  ];
  // eslint-disable-next-line react-hooks/incompatible-library -- the React Compiler is not enabled, so there is no memoization to go stale
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, manualPagination: true });

  if (rows.length === 0) {
    return (
      <EmptyState title={filtered ? "No events match these filters" : "No events you can see yet"}>
        {filtered ? "Widen the time range, change a filter, or clear them all." : "Sign-ins, changes and refusals in the part of the organization your role covers will appear here."}
      </EmptyState>
    );
  }
  // Scrolls inside its own box on a narrow screen, the time (the link to the event) pinned left.
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => (
                <th key={header.id} scope="col" className={`px-3 py-2 font-medium ${header.column.id === "occurredAt" ? "sticky left-0 bg-slate-50" : ""}`}>
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="align-top hover:bg-slate-50">
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={`px-3 py-2 ${cell.column.id === "occurredAt" ? "sticky left-0 bg-white" : ""}`}>
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
