import type { PgBoss } from "pg-boss";
import { requeueStalledMessages, startIntakeWorker } from "./intake-worker";

/**
 * What a process that works the intake queue runs: the intake.process worker, and every minute a sweep
 * that sends again any message whose job was lost or whose worker died (the inbox is the record of
 * truth, the job only a nudge). INTAKE_WORKER_CONCURRENCY (default 4; 0 turns processing off here).
 * Returns a stop function for the sweep; the worker stops with pg-boss.
 */
export async function startIntakeProcessing(boss: PgBoss, log: (line: string) => void): Promise<() => void> {
  const concurrency = Number(process.env.INTAKE_WORKER_CONCURRENCY ?? 4);
  if (!(concurrency > 0)) return () => {};
  await startIntakeWorker(boss, { concurrency });
  const sweep = () => requeueStalledMessages(boss).then((n) => (n ? log(`intake: sent ${n} stalled message(s) again`) : undefined)).catch((error: Error) => log(`intake: the stalled-message sweep failed: ${error.message}`));
  void sweep();
  const timer = setInterval(sweep, 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
