import type { PgBoss } from "pg-boss";
import { getDb, type Db } from "@/db/client";
import { JOB_QUEUES } from "@/db/job-schema";
import { sweepEscalations } from "./sweep-escalations";

/** A cron expression for "every N minutes" (1 to 59), else hourly at minute 0 for an hour or more. */
export function escalationCron(minutes: number): string {
  if (!Number.isFinite(minutes) || minutes < 1) throw new Error("ESCALATION_SWEEP_MINUTES must be a whole number of minutes, 1 or more.");
  const whole = Math.floor(minutes);
  return whole < 60 ? `*/${whole} * * * *` : `0 */${Math.min(23, Math.floor(whole / 60))} * * *`;
}

/**
 * The escalation sweep as a pg-boss 12 job: a cron schedule on its queue (pg-boss's cron
 * runner, one instance at a time, sends one job per tick) and a worker that runs
 * `sweepEscalations`, the same body tests call directly. The queue is `singleton`, so two
 * launchers never sweep at once; the sweep is idempotent anyway (ADR 0017), so a retried job
 * escalates nothing twice. Returns what the worker did with each job, for the launcher's log.
 */
export async function startEscalationJob(boss: PgBoss, { minutes, db = getDb(), onSwept }: { minutes: number; db?: Db; onSwept?: (r: { escalated: number; mailed: number }) => void }): Promise<void> {
  await boss.schedule(JOB_QUEUES.escalations, escalationCron(minutes), null, { tz: "UTC" });
  await boss.work(JOB_QUEUES.escalations, async () => {
    const result = await sweepEscalations(db);
    onSwept?.(result);
    return result;
  });
}
