import type postgres from "postgres";
import { PgBoss } from "pg-boss";
import { APP_ROLE } from "./app-role";
import { adaptPostgresJs } from "./pg-boss-adapter";

/** pg-boss's own schema: its tables never mix with the app's, and hold no tenant data. */
export const JOB_SCHEMA = "pgboss";

/** The queues the app uses. Created here, by the owner, so the app role never needs CREATE. */
export const JOB_QUEUES = {
  /** The escalation sweep (lib/approvals/escalation-job.ts): one run at a time. */
  escalations: "approvals.escalate",
  /** One inbox message to parse and process (lib/intake, docs/adr/0026): job data { messageId }. */
  intakeProcess: "intake.process",
} as const;

/**
 * Installs or migrates pg-boss's schema as the migrating (owning) role, creates the app's queues,
 * then grants the app role what running pg-boss needs: reading and writing its rows and calling
 * its functions, nothing else. The launcher's pg-boss then starts with `migrate: false`, as the
 * app role, so the app keeps running without owner rights (docs/adr/0020).
 */
export async function installJobSchema(client: postgres.Sql): Promise<void> {
  const boss = new PgBoss({ db: adaptPostgresJs(client), schema: JOB_SCHEMA, supervise: false, schedule: false, migrate: true, createSchema: true });
  const errors: Error[] = [];
  boss.on("error", (error) => errors.push(error));
  await boss.start();
  try {
    await boss.createQueue(JOB_QUEUES.escalations, { policy: "singleton" });
    await boss.createQueue(JOB_QUEUES.intakeProcess);
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
  if (errors.length) throw errors[0]!;
  await client.unsafe(`grant usage on schema ${JOB_SCHEMA} to ${APP_ROLE}`);
  await client.unsafe(`grant select, insert, update, delete on all tables in schema ${JOB_SCHEMA} to ${APP_ROLE}`);
  await client.unsafe(`grant usage, select on all sequences in schema ${JOB_SCHEMA} to ${APP_ROLE}`);
  await client.unsafe(`grant execute on all functions in schema ${JOB_SCHEMA} to ${APP_ROLE}`);
}
