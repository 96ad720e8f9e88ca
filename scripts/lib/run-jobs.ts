import { PgBoss } from "pg-boss";
import { getSql } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { startEscalationJob } from "@/lib/approvals/escalation-job";
import { runEscalations } from "./run-escalations";

/**
 * The launcher's pg-boss 12: over the app's own postgres.js pool (as the app role, so never the
 * `pg` package's connections), in its own schema, which the migration installed (so `migrate`
 * and `createSchema` are off and the app needs no owner rights). It runs the escalation
 * schedule and its worker every ESCALATION_SWEEP_MINUTES (default 5; 0 turns it off). Should
 * pg-boss fail to start, the old in-process sweeper runs the same idempotent body instead, so
 * escalation never silently stops. Returns a stop function.
 */
export async function runJobs(log: (line: string) => void): Promise<() => Promise<void>> {
  const minutes = Number(process.env.ESCALATION_SWEEP_MINUTES ?? 5);
  if (!(minutes > 0)) return async () => {};
  // Index rebuilds (REINDEX) need the tables' owner: the migration's role, not the app's.
  const boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false });
  boss.on("error", (error) => log(`job queue error: ${error.message}`));
  try {
    await boss.start();
    await startEscalationJob(boss, { minutes, onSwept: (r) => (r.escalated ? log(`escalated ${r.escalated} waiting approval(s), ${r.mailed} mail(s) sent`) : undefined) });
  } catch (error) {
    log(`pg-boss did not start (${(error as Error).message}); sweeping escalations in-process instead`);
    await boss.stop({ graceful: false, close: false }).catch(() => {});
    const stop = runEscalations(log);
    return async () => stop();
  }
  return () => boss.stop({ graceful: true, close: false, timeout: 10_000 });
}
