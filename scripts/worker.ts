/**
 * `npm run worker`: one more intake.process worker (issue 14), on this machine or any other that
 * reaches the database (DATABASE_URL, or the embedded server a running launcher started). Workers
 * share the queue through pg-boss; each channel's share is capped by group concurrency.
 */
import "./lib/require-node-24";
import { PgBoss } from "pg-boss";
import { closeDb, getSql } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-schema";
import { adaptPostgresJs } from "@/db/pg-boss-adapter";
import { startIntakeProcessing } from "@/lib/intake/process/start-intake-processing";
import { ensureMfaEncryptionKey } from "./lib/mfa-encryption-key";
import { openDatabase } from "./lib/open-database";

const log = (line: string) => console.log(line);

async function main() {
  const database = await openDatabase("cli", log);
  process.env.DATABASE_URL = database.url;
  // cXML shared secrets are sealed with the same key as TOTP secrets.
  ensureMfaEncryptionKey(database.dataDir);
  const boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false, schedule: false });
  boss.on("error", (error) => log(`job queue error: ${error.message}`));
  await boss.start();
  const stopSweep = await startIntakeProcessing(boss, log);
  log(`intake worker running (concurrency ${process.env.INTAKE_WORKER_CONCURRENCY ?? 4}); Ctrl+C to stop`);
  const stop = async () => {
    stopSweep();
    await boss.stop({ graceful: true, close: false, timeout: 10_000 }).catch(() => {});
    await closeDb().catch(() => {});
    await database.close().catch(() => {});
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

main().catch((error: Error) => {
  console.error(`the intake worker could not start: ${error.message}`);
  process.exit(1);
});
