import type { ReactNode } from "react";
import { formatDate, formatMoney } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";

export interface GrantRow {
  id: string;
  roleName: string;
  branchName: string;
  expiresAt: string | null;
  expired: boolean;
  approvalLimit: { amountMinor: number; currency: string } | null;
}

/** A member's grants; `actions` holds the revoke control per grant, only where the viewer may use it. */
export function GrantsTable({ rows, actions }: { rows: GrantRow[]; actions: Record<string, ReactNode> }) {
  if (rows.length === 0) return <EmptyState title="No grants you can see">A member without grants can sign in but sees nothing.</EmptyState>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {["Role", "Branch", "Expires", "Approval limit"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
            <th scope="col" className="px-3 py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((g) => (
            <tr key={g.id}>
              <td className="px-3 py-2 font-medium">{g.roleName}</td>
              <td className="px-3 py-2">{g.branchName}</td>
              <td className="px-3 py-2">{g.expiresAt ? `${formatDate(g.expiresAt)}${g.expired ? " (expired)" : ""}` : "Never"}</td>
              <td className="px-3 py-2 tabular-nums">{g.approvalLimit ? formatMoney(g.approvalLimit.amountMinor, g.approvalLimit.currency) : "—"}</td>
              <td className="px-3 py-2 text-right">{actions[g.id] ?? null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
