import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { APP_ROLE } from "@/db/app-role";
import type { Db, Tx } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import * as schema from "@/db/schema";

/**
 * Test setup and assertions that look across orgs, as the operator would: one transaction with
 * row-level security bypassed. Everything else in a test runs as the app does, under RLS, so a
 * query that forgets its org filter fails the test instead of passing because the test bypassed.
 */
export function asOperator<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenantScope({ orgId: null, userId: null, bypass: true }, fn);
}

let pool: { url: string; client: postgres.Sql; db: Db } | undefined;

/**
 * A pool of the operator's own (still as the app role, so the audit table stays append-only, but
 * with row-level security bypassed), for a test's reads of the rows a command left behind. Never
 * hand it to the code under test: that code must get getDb(), as the app does.
 */
export function operatorDb(): Db {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (tests/support/per-file-database.ts sets it)");
  if (pool?.url === url) return pool.db;
  const client = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: "countersign-test-operator", role: APP_ROLE, "countersign.bypass": "on" } });
  pool = { url, client, db: drizzle(client, { schema }) };
  return pool.db;
}

export async function closeOperatorDb(): Promise<void> {
  const open = pool;
  pool = undefined;
  if (open) await open.client.end({ timeout: 5 });
}
