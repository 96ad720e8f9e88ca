import { withTenantScope } from "@/db/tenant-scope";
import { checkpointMovedChains } from "@/lib/audit/checkpoint";

/**
 * Every AUDIT_CHECKPOINT_MINUTES (default 10), signs the head of every chain that moved, so a
 * quiet org's last events are covered without waiting for the next N-th event.
 */
export function runCheckpointer(log: (line: string) => void): () => void {
  const minutes = Number(process.env.AUDIT_CHECKPOINT_MINUTES ?? 10);
  if (!(minutes > 0)) return () => {};
  const timer = setInterval(() => {
    withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) => checkpointMovedChains(tx)).catch((error: unknown) => log(`audit checkpoint failed: ${(error as Error).message}`));
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
