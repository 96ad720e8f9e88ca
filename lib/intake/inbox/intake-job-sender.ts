import type postgres from "postgres";
import { PgBoss } from "pg-boss";
import { getSql, type Tx } from "@/db/client";
import { JOB_QUEUES, JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { rawSqlOf } from "@/db/raw-client";

/**
 * A send-only pg-boss 12 (no supervisor, no cron, no workers, no migrations): acceptance only
 * enqueues. pg-boss needs `start()` to fill its queue cache, so one instance per process is
 * started on first use and reused (kept on globalThis, like the pool, across dev reloads).
 */
const store = globalThis as unknown as { __countersignIntakeSender?: { sql: postgres.Sql; boss: Promise<PgBoss> } };

function sender(): Promise<PgBoss> {
  const sql = getSql();
  const existing = store.__countersignIntakeSender;
  if (existing && existing.sql === sql) return existing.boss;
  const boss = new PgBoss({ db: adaptPostgresJs(sql), schema: JOB_SCHEMA, migrate: false, createSchema: false, supervise: false, schedule: false, reindex: false });
  boss.on("error", (error) => console.error("intake: job sender error", error));
  const started = boss.start().then(() => boss);
  // A failed start is retried on the next request rather than cached forever.
  started.catch(() => (store.__countersignIntakeSender = undefined));
  store.__countersignIntakeSender = { sql, boss: started };
  return started;
}

/**
 * Enqueues `intake.process` for inbox messages inside the caller's transaction (its own
 * connection, through the adapter), so each job exists exactly when its message does: a rollback
 * takes both away, a commit makes both visible (docs/adr/0026). One statement for the lot. The
 * group is the channel, so processing can be rate-limited per channel (pg-boss group concurrency).
 */
export async function sendIntakeJobs(tx: Tx, messageIds: string[], channelId: string): Promise<void> {
  const boss = await sender();
  const db = adaptPostgresJs(rawSqlOf(tx));
  // The job id is the message id: one job per message, and either can be found from the other.
  // The retry backstop matches the worker's own sends (lib/intake/process/intake-job.ts): our
  // retries live in the inbox row; pg-boss's only cover a worker that died holding the job.
  const jobs = messageIds.map((messageId) => ({ id: messageId, data: { messageId }, group: { id: channelId }, retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 }));
  await boss.insert(JOB_QUEUES.intakeProcess, jobs, { db });
}

/** Takes back, in the same transaction, jobs sent for messages that turned out to exist already. */
export async function withdrawIntakeJobs(tx: Tx, messageIds: string[]): Promise<void> {
  const boss = await sender();
  await boss.deleteJob(JOB_QUEUES.intakeProcess, messageIds, { db: adaptPostgresJs(rawSqlOf(tx)) });
}

/** Stops the sender (tests, shutdown). */
export async function stopIntakeJobSender(): Promise<void> {
  const existing = store.__countersignIntakeSender;
  store.__countersignIntakeSender = undefined;
  if (existing) await (await existing.boss.catch(() => null))?.stop({ graceful: false, close: false });
}
