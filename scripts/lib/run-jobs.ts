import { PgBoss } from "pg-boss";
import { getSql } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { startEscalationJob } from "@/lib/approvals/escalation-job";
import { startIntakeProcessing } from "@/lib/intake/process/start-intake-processing";
import { runEscalations } from "./run-escalations";

/**
 * The launcher's pg-boss 12: over the app's own postgres.js pool (as the app role, so never the
 * `pg` package's connections), in its own schema, which the migration installed (so `migrate`
 * and `createSchema` are off and the app needs no owner rights). It runs the escalation
 * schedule and its worker every ESCALATION_SWEEP_MINUTES (default 5; 0 turns it off). Should
 * pg-boss fail to start, the old in-process sweeper runs the same idempotent body instead, so
 * escalation never silently stops. It also runs one intake.process worker in this process (issue 14;
 * `npm run worker` starts more). Returns a stop function.
 */
export async function runJobs(log: (line: string) => void): Promise<() => Promise<void>> {
  const minutes = Number(process.env.ESCALATION_SWEEP_MINUTES ?? 5);
  const intake = Number(process.env.INTAKE_WORKER_CONCURRENCY ?? 4) > 0;
  if (!(minutes > 0) && !intake) return async () => {};
  // Index rebuilds (REINDEX) need the tables' owner: the migration's role, not the app's.
  const boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false });
  boss.on("error", (error) => log(`job queue error: ${error.message}`));
  let stopIntake = () => {};
  try {
    await boss.start();
    if (minutes > 0) await startEscalationJob(boss, { minutes, onSwept: (r) => (r.escalated ? log(`escalated ${r.escalated} waiting approval(s), ${r.mailed} mail(s) sent`) : undefined) });
    stopIntake = await startIntakeProcessing(boss, log);
  } catch (error) {
    log(`pg-boss did not start (${(error as Error).message}); sweeping escalations in-process instead (intake messages wait in the inbox for a worker)`);
    stopIntake();
    await boss.stop({ graceful: false, close: false }).catch(() => {});
    const stop = minutes > 0 ? runEscalations(log) : () => {};
    return async () => stop();
  }
  return async () => {
    stopIntake();
    await boss.stop({ graceful: true, close: false, timeout: 10_000 });
  };
}
