import Link from "next/link";
import { formatEventRef } from "@/lib/audit/event-ref";
import type { ChainReportView } from "@/lib/audit/schemas";
import { formatAuditTime } from "./format-audit-time";

/** The outcome of recomputing the chain: intact, or the first event where it stops holding. */
export function VerifyReport({ orgSlug, report }: { orgSlug: string; report: ChainReportView }) {
  const cps = report.checkpoints;
  return (
    <div className="space-y-4" data-testid="verify-report">
      {report.intact ? (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-900">
          <p className="text-base font-semibold">Intact</p>
          <p className="mt-1">
            All {report.events.toLocaleString("en-US")} events recompute to their stored hashes and each links to the one before it
            {cps.total > 0 ? `, and they match ${cps.total.toLocaleString("en-US")} signed checkpoint${cps.total === 1 ? "" : "s"}` : ""}.
          </p>
        </div>
      ) : (
        <div role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          <p className="text-base font-semibold">
            Broken at event #{report.firstBrokenSeq}
            {report.firstBrokenShard ? ` in shard ${report.firstBrokenShard}` : ""}
          </p>
          <p className="mt-1">{report.problem}</p>
          {report.firstBrokenSeq ? (
            <Link className="mt-2 inline-block underline" href={`/orgs/${orgSlug}/audit/${formatEventRef(report.firstBrokenShard ?? 0, report.firstBrokenSeq)}`}>
              Open event #{report.firstBrokenSeq}
            </Link>
          ) : null}
        </div>
      )}
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-500">Events in the chain</dt>
        <dd className="tabular-nums">{report.events.toLocaleString("en-US")}</dd>
        <dt className="text-slate-500">Head</dt>
        <dd className="break-all">{report.head ? <>#{report.head.seq} <code className="text-xs">{report.head.hash}</code></> : "empty chain"}</dd>
        <dt className="text-slate-500">Checkpoint signatures</dt>
        <dd>{cps.signaturesChecked ? `${cps.verified} of ${cps.total} verified` : "not checked: no verification key is configured"}</dd>
        <dt className="text-slate-500">Latest checkpoint</dt>
        <dd>{cps.latest ? `#${cps.latest.seq}, signed ${formatAuditTime(cps.latest.signedAt)}, key ${cps.latest.keyId}` : "none yet"}</dd>
      </dl>
    </div>
  );
}

/** Shown while the chain is being read: verification walks every event, which takes a while at scale. */
export function VerifyPending() {
  return (
    <div role="status" aria-live="polite" className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-700">
      <span aria-hidden="true" className="inline-block h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-600" />
      Verifying the chain: recomputing every event&apos;s hash and checking the signed checkpoints…
    </div>
  );
}
