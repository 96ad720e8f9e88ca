import Link from "next/link";
import type { AuditCheckpoint } from "@/lib/audit/schemas";
import { formatAuditTime } from "./format-audit-time";

/**
 * The latest signed checkpoint, read in one index probe. Recomputing the chain reads every event,
 * so it runs only when asked for ("Verify now"), never on each view of the list.
 */
export function CheckpointBadge({ orgSlug, checkpoint }: { orgSlug: string; checkpoint: AuditCheckpoint | null }) {
  return (
    <section aria-label="Chain verification" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm">
      {checkpoint ? (
        <p data-testid="latest-checkpoint">
          <span className="font-medium">Signed checkpoint</span> at event <span className="tabular-nums">#{checkpoint.seq}</span>, signed {formatAuditTime(checkpoint.signedAt)} with key{" "}
          <code className="text-xs">{checkpoint.keyId}</code>
        </p>
      ) : (
        <p data-testid="latest-checkpoint">No signed checkpoint yet: the head of the chain is signed at regular intervals once events arrive.</p>
      )}
      {/* prefetch off: following the link reads the whole chain, which a hover must not start. */}
      <Link href={`/orgs/${orgSlug}/audit/verify`} prefetch={false} className="rounded-md border border-slate-300 px-3 py-1.5 font-medium hover:bg-slate-50">
        Verify now
      </Link>
    </section>
  );
}
