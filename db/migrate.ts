import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { grantAppRolePrivileges } from "./app-role";
import { installJobSchema } from "./job-schema";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Resolved from this file (not `new URL(..., import.meta.url)`, which bundlers treat as an asset).
export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

// Any constant works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies pending migrations, then pg-boss's (db/job-schema.ts), under a session-level advisory
 * lock, so two instances starting at once run them one after the other instead of racing.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(client), { migrationsFolder });
      await grantAppRolePrivileges(client);
      // pg-boss's schema, under the same lock: its own migrations run here, never at app start.
      await installJobSchema(client);
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}
