import { sql } from "drizzle-orm";
import type { Executor } from "./client";
import journal from "./migrations/meta/_journal.json";

/** Migrations this build ships. */
export const expectedMigrationCount = journal.entries.length;

/** Whether the database has every migration this build ships (and no unknown newer ones). */
export async function readMigrationStatus(db: Executor): Promise<{ applied: number; expected: number; current: boolean }> {
  let applied = 0;
  try {
    const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    applied = rows[0]?.n ?? 0;
  } catch {
    applied = 0; // the bookkeeping table does not exist yet: nothing applied
  }
  return { applied, expected: expectedMigrationCount, current: applied === expectedMigrationCount };
}
