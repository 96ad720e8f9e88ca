import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";

// Its own database for --quick, so a quick run never reuses (or is reused as) the full data.
export const BENCH_DB = process.argv.includes("--quick") ? "cs_bench_access_quick" : "cs_bench_access";
const DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/test";

/** The server to use (DATABASE_URL, else the machine's PostgreSQL) and the bench database on it. */
export function benchUrls(): { serverUrl: string; benchUrl: string } {
  const serverUrl = process.env.DATABASE_URL || DEFAULT_SERVER_URL;
  const url = new URL(serverUrl);
  url.pathname = `/${BENCH_DB}`;
  return { serverUrl, benchUrl: url.toString() };
}

function adminClient(serverUrl: string): postgres.Sql {
  return postgres(serverUrl, { max: 1, onnotice: () => {} });
}

export async function benchDatabaseExists(serverUrl: string): Promise<boolean> {
  const admin = adminClient(serverUrl);
  try {
    const rows = await admin`select 1 from pg_database where datname = ${BENCH_DB}`;
    return rows.length > 0;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Drops (if present) and recreates the bench database, then applies the app's migrations. */
export async function createBenchDatabase(serverUrl: string, benchUrl: string): Promise<void> {
  await dropBenchDatabase(serverUrl);
  const admin = adminClient(serverUrl);
  try {
    await admin.unsafe(`create database ${BENCH_DB}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  await migrateDatabase(benchUrl);
}

export async function dropBenchDatabase(serverUrl: string): Promise<void> {
  const admin = adminClient(serverUrl);
  try {
    await admin.unsafe(`drop database if exists ${BENCH_DB} with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** A single-connection client as the connecting (owner) user: generation, EXPLAIN. */
export function ownerClient(benchUrl: string): postgres.Sql {
  return postgres(benchUrl, { max: 1, onnotice: () => {} });
}
