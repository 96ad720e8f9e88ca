import type { Job, PgBoss } from "pg-boss";
import { and, inArray, lte, or, isNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { JOB_QUEUES } from "@/db/job-schema";
import { withTenantScope } from "@/db/tenant-scope";
import { intakeMessages } from "@/db/schema";
import { intakeJobOptions, type IntakeJobData } from "./intake-job";
import { processMessage, type ProcessResult } from "./process-message";

// The intake.process handler on pg-boss 12. Each job is one inbox message; a job that fails
// transiently is sent again with the backoff the inbox row carries. Group concurrency limits each
// channel (the job's group, see intake-job.ts) to a share of the workers, across every machine.

export type IntakeWorkerOptions = {
  db?: Db;
  /** Jobs this process runs at once. */
  concurrency?: number;
  /** At most this many jobs of one channel run at once, over all workers (pg-boss groupConcurrency). */
  perChannel?: number;
  onProcessed?: (result: ProcessResult) => void;
};

export async function startIntakeWorker(boss: PgBoss, options: IntakeWorkerOptions = {}): Promise<string> {
  const db = options.db ?? getDb();
  const concurrency = options.concurrency ?? Number(process.env.INTAKE_WORKER_CONCURRENCY ?? 4);
  const perChannel = options.perChannel ?? Math.max(1, Math.ceil(concurrency / 2));
  // Two fetchers, each taking a batch and running it concurrently: with one job per fetch, every job
  // cost a polling interval (8 orders/s in bench/intake/process.ts); a full batch fetches again at once.
  const fetchers = Math.min(2, concurrency);
  return boss.work<IntakeJobData>(
    JOB_QUEUES.intakeProcess,
    { localConcurrency: fetchers, batchSize: Math.max(2, Math.ceil(concurrency / fetchers)), burstWhenBatchFull: true, groupConcurrency: perChannel, pollingIntervalSeconds: 0.5 },
    async (jobs: Job<IntakeJobData>[]) => {
      // A job that throws here fails alone (pg-boss retries it); the batch's others still complete.
      const settled = await Promise.allSettled(jobs.map((job) => runIntakeJob(boss, db, job, options.onProcessed)));
      const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  );
}

async function runIntakeJob(boss: PgBoss, db: Db, job: Job<IntakeJobData>, onProcessed?: (result: ProcessResult) => void): Promise<void> {
  const messageId = job.data?.messageId;
  if (typeof messageId !== "string" || !/^[0-9a-f-]{36}$/i.test(messageId)) return;
  const result = await processMessage(messageId, { db });
  if (result.status === "retry") await boss.send(JOB_QUEUES.intakeProcess, { messageId }, intakeJobOptions(result.channelId, Math.ceil(result.delayMs / 1000)));
  onProcessed?.(result);
}

/**
 * The inbox is the record of truth: a message left `received` or `processing` (its job lost, or its
 * worker killed mid-batch) past `staleSeconds` is sent again. Processing is idempotent, so sending one
 * that is in fact still running costs a skipped document, never a second order.
 */
export async function requeueStalledMessages(boss: PgBoss, { db = getDb(), staleSeconds = 120, limit = 500 }: { db?: Db; staleSeconds?: number; limit?: number } = {}): Promise<number> {
  const stalled = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) =>
    tx.select({ id: intakeMessages.id, channelId: intakeMessages.channelId })
      .from(intakeMessages)
      .where(and(
        inArray(intakeMessages.status, ["received", "processing"]),
        lte(intakeMessages.updatedAt, sql`now() - ${`${staleSeconds} seconds`}::interval`),
        or(isNull(intakeMessages.nextAttemptAt), lte(intakeMessages.nextAttemptAt, sql`now()`)),
      ))
      .orderBy(intakeMessages.receivedAt)
      .limit(limit), db);
  for (const m of stalled) await boss.send(JOB_QUEUES.intakeProcess, { messageId: m.id }, intakeJobOptions(m.channelId));
  return stalled.length;
}
