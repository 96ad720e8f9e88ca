import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { expectedMigrationCount, readMigrationStatus } from "@/db/migration-status";
import { readIntakeHealth } from "@/lib/intake/process/read-intake-health";
import { appVersion } from "./app-version";
import type { Health } from "./schemas";

// A load balancer waits on this answer; a hung connection attempt must not hang the probe.
const PROBE_TIMEOUT_MS = 3_000;

/** Whether this instance can serve: database reachable and migrated to exactly this build. */
export async function checkHealth(): Promise<Health> {
  let reachable = false;
  let migrations: Health["database"]["migrations"] = { applied: null, expected: expectedMigrationCount, current: false };
  let intake: Health["intake"] = null;
  try {
    const db = getDb(); // throws when DATABASE_URL is unset: reported as unreachable, not as a crash
    await withTimeout(db.execute(sql`select 1`));
    reachable = true;
    migrations = await withTimeout(readMigrationStatus(db));
    // Intake figures inform, they do not gate readiness: a backlog is not a reason to stop serving.
    if (migrations.current) intake = await withTimeout(readIntakeHealth(db)).catch(() => null);
  } catch (error) {
    console.warn(`[health] database check failed: ${describe(error)}`);
  }
  const status = reachable && migrations.current ? "ok" : "degraded";
  return { status, database: { reachable, migrations }, version: appVersion, intake };
}

// Drizzle wraps the driver's error; its cause ("connect ECONNREFUSED ...") is the useful part.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message.split("\n")[0]} (${error.cause.message})` : error.message;
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
