import { getDb } from "@/db/client";
import { sweepEscalations } from "@/lib/approvals/sweep-escalations";

/**
 * Every ESCALATION_SWEEP_MINUTES (default 5), escalates the approval tiers that waited past
 * their rule's period (lib/approvals/sweep-escalations.ts). The fallback only: the launcher runs
 * the sweep as a pg-boss job (scripts/lib/run-jobs.ts, docs/adr/0020) and falls back to this
 * in-process timer when pg-boss cannot start.
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
