import { getDb } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { checkpointMovedChains } from "@/lib/audit/checkpoint";
import { recordQuietRefusals } from "@/lib/identity/record-counted-refusals";

/**
 * Every AUDIT_CHECKPOINT_MINUTES (default 10), records the refusals counted in windows that went
 * quiet (lib/identity/refusal-tally.ts), then signs the head of every chain that moved, so a
 * quiet org's last events are covered without waiting for the next N-th event.
 */
export function runCheckpointer(log: (line: string) => void): () => void {
  const minutes = Number(process.env.AUDIT_CHECKPOINT_MINUTES ?? 10);
  if (!(minutes > 0)) return () => {};
  const timer = setInterval(() => {
    void (async () => {
      await recordQuietRefusals(getDb()).catch((error: unknown) => log(`recording counted refusals failed: ${(error as Error).message}`));
      await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) => checkpointMovedChains(tx)).catch((error: unknown) => log(`audit checkpoint failed: ${(error as Error).message}`));
    })();
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
