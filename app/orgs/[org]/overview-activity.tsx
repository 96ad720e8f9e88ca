import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import type { AuditEvent } from "@/lib/audit/schemas";

/** The newest audit events the member may read, with the way to the whole trail. */
export function OverviewActivity({ org, events }: { org: string; events: AuditEvent[] }) {
  return (
    <section aria-labelledby="activity-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="activity-heading" className="text-lg font-medium">
          Recent activity
        </h2>
        <Link href={`/orgs/${org}/audit`} className="text-sm text-brand-700 underline-offset-2 hover:underline">
          The whole audit trail
        </Link>
      </div>
      <AuditTable orgSlug={org} rows={events} filtered={false} />
    </section>
  );
}
