import { getDb } from "@/db/client";
import { sweepEscalations } from "@/lib/approvals/sweep-escalations";

/**
 * Every ESCALATION_SWEEP_MINUTES (default 5), escalates the approval tiers that waited past
 * their rule's period (lib/approvals/sweep-escalations.ts). A sweeper in the launcher, not yet
 * a pg-boss schedule: see docs/adr/0017-ordering-and-approvals.md.
 */
export function runEscalations(log: (line: string) => void): () => void {
  const minutes = Number(process.env.ESCALATION_SWEEP_MINUTES ?? 5);
  if (!(minutes > 0)) return () => {};
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void sweepEscalations(getDb())
      .then((r) => (r.escalated ? log(`escalated ${r.escalated} waiting approval(s), ${r.mailed} mail(s) sent`) : undefined))
      .catch((error: unknown) => log(`escalation sweep failed: ${(error as Error).message}`))
      .finally(() => (running = false));
  }, minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
