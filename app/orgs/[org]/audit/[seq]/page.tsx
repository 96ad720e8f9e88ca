import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readAs } from "@/lib/core/read-as";
import { diffMetadata } from "@/lib/audit/diff-metadata";
import { getAuditEvent } from "@/lib/audit/get-audit-event";
import { formatAuditTime } from "@/components/audit/format-audit-time";
import { MetadataDiff, MetadataList } from "@/components/audit/metadata-diff";
import { OutcomeBadge } from "@/components/audit/outcome-badge";
import { AuditPermissionNeeded } from "@/components/audit/permission-needed";
import { loadAuditReader } from "../load-audit-reader";

export const metadata: Metadata = { title: "Audit event" };

/** One event by its place in the org's chain ("<seq>", or "<shard>-<seq>"), with its hashes and what it changed. */
export default async function AuditEventPage({ params }: { params: Promise<{ org: string; seq: string }> }) {
  const { org, seq } = await params;
  const principal = await loadAuditReader(org, "audit.event");
  if (!principal) return <AuditPermissionNeeded />;
  // Outside the reader's subtree and not existing look the same: a 404 either way.
  const event = (await readAs(principal, (tx) => getAuditEvent(tx, principal, seq))) ?? notFound();
  const view = diffMetadata(event.metadata);
  const fields: Array<[string, React.ReactNode]> = [
    ["Time", formatAuditTime(event.occurredAt)],
    ["Actor", `${event.actorLabel ?? "—"} (${event.actorType})`],
    ["Actor id", event.actorId ?? "—"],
    ["Action", <code key="a">{event.action}</code>],
    ["Outcome", <OutcomeBadge key="o" outcome={event.outcome} />],
    ["Target", event.targetId ? `${event.targetType ?? "?"}: ${event.targetLabel ? `${event.targetLabel} (${event.targetId})` : event.targetId}` : "—"],
    ["Shard", String(event.shard)],
    ["Branch", event.branchId ? `${event.branchName ?? "(deleted branch)"} (${event.branchId})` : "Organization-level"],
    ["IP address", event.ip ?? "—"],
    ["User agent", event.userAgent ?? "—"],
    ["Request id", event.requestId ?? "—"],
    ["Sequence", `#${event.seq}`],
    ["Hash", <code key="h">{event.hash}</code>],
    ["Previous hash", <code key="p">{event.prevHash}</code>],
  ];
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/orgs/${org}/audit`} className="text-sm text-brand-700 underline">
          ← Audit trail
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
          Event #{event.seq}
          {event.shard ? ` in shard ${event.shard}` : ""}: <code className="text-xl">{event.action}</code>
        </h1>
      </div>
      <dl className="grid gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
        {fields.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium break-all">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="changes-heading" className="space-y-2">
        <h2 id="changes-heading" className="text-lg font-medium">
          Changes
        </h2>
        {view.changes ? <MetadataDiff changes={view.changes} /> : <p className="text-sm text-slate-600">This event records no before/after change.</p>}
      </section>
      {view.other.length > 0 ? (
        <section aria-labelledby="details-heading" className="space-y-2">
          <h2 id="details-heading" className="text-lg font-medium">
            Other details
          </h2>
          <MetadataList entries={view.other} />
        </section>
      ) : null}
    </div>
  );
}
