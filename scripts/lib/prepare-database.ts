import { closeDb, getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { isDatabaseEmpty, seedDemo } from "@/lib/demo/seed-demo";

/**
 * Migrates, then loads demo data if and only if the database holds no organization yet. With
 * `seedRefusal`, an empty database that would be seeded stops the start with that message instead.
 */
export async function prepareDatabase(url: string, { seedIfEmpty, seedRefusal = null, log }: { seedIfEmpty: boolean; seedRefusal?: string | null; log: (line: string) => void }) {
  await migrateDatabase(url);
  process.env.DATABASE_URL = url;
  const db = getDb();
  let seeded = false;
  if (seedIfEmpty && (await isDatabaseEmpty(db))) {
    if (seedRefusal) throw new Error(seedRefusal);
    log("Empty database: loading the demo (Northwind Supply with about 200 products, and its account Acme Industrial with about 500 orders)...");
    await seedDemo(db, { log });
    seeded = true;
  }
  return { seeded, close: closeDb };
}
