"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { formatDateTime, formatMoney } from "@/components/format";

type Decide = (prev: ActionResult<{ decided: number; failures: string[] }> | null, form: FormData) => Promise<ActionResult<{ decided: number; failures: string[] }>>;

export interface InboxRow {
  orderId: string;
  orderNumber: string;
  orderVersion: number;
  branchName: string;
  buyerName: string;
  currency: string;
  totalMinor: number;
  rule: string;
  tier: number;
  escalations: number;
  waitingSince: string;
  /** Set when the viewer would decide it as a colleague's delegate. */
  onBehalfOf?: string | null;
}

/** What waits for the viewer: tick orders, then approve or reject them all with one comment. */
export function ApprovalsInbox({ orgSlug, rows, action, empty }: { orgSlug: string; rows: InboxRow[]; action: Decide; empty: ReactNode }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const outcome = state?.ok ? (
    <Notice>
      {state.data.decided} decided.{state.data.failures.length ? ` Not decided: ${state.data.failures.join("; ")}` : ""}
    </Notice>
  ) : null;
  // Deciding the last waiting order empties the list: the outcome stays on screen above the empty state.
  if (rows.length === 0) {
    return (
      <div className="space-y-3">
        {outcome}
        {empty}
      </div>
    );
  }
  return (
    <form action={dispatch} className="space-y-3">
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {rows.map((r) => (
          <li key={r.orderId} className="flex items-start gap-3 p-3 text-sm">
            <input type="checkbox" name="orderId" value={r.orderId} id={`pick-${r.orderId}`} className="mt-1 h-4 w-4" aria-label={`Select order ${r.orderNumber}`} />
            <input type="hidden" name={`version-${r.orderId}`} value={r.orderVersion} />
            <input type="hidden" name={`number-${r.orderId}`} value={r.orderNumber} />
            <div className="min-w-0 flex-1">
              <p className="font-medium">
                <Link href={`/orgs/${orgSlug}/orders/${r.orderId}`} className="text-brand-700 underline">
                  {r.orderNumber}
                </Link>{" "}
                · {formatMoney(r.totalMinor, r.currency)}
              </p>
              <p className="text-slate-600">
                {r.buyerName}, {r.branchName} · {r.rule}, tier {r.tier}
                {r.escalations > 0 ? ` · escalated ${r.escalations}×` : ""} · waiting since {formatDateTime(r.waitingSince)}
                {r.onBehalfOf ? ` · as ${r.onBehalfOf}'s delegate` : ""}
              </p>
            </div>
          </li>
        ))}
      </ul>
      <label className="block max-w-xl text-sm text-slate-700">
        Comment (optional, recorded with each decision)
        <textarea name="comment" rows={2} maxLength={2000} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </label>
      <FormAlert message={state && !state.ok ? state.error : null} />
      {outcome}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="decision" value="approve" disabled={pending} aria-busy={pending}>
          {pending ? "Working…" : "Approve selected"}
        </Button>
        <Button type="submit" name="decision" value="reject" variant="secondary" disabled={pending}>
          Reject selected
        </Button>
      </div>
    </form>
  );
}
