// Server code only: Next fails the build of any client bundle that imports this (see packages/server-only).
import "server-only";
import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { PgTransaction } from "drizzle-orm/pg-core";
import type { PostgresJsQueryResultHKT } from "drizzle-orm/postgres-js";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import * as schema from "./schema";
import { APP_ROLE } from "./app-role";
import { prepareStatements } from "./prepare-statements";

export type Schema = typeof schema;
export type Db = PostgresJsDatabase<Schema>;
export type Tx = PgTransaction<PostgresJsQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything a query function can run on: the pool or an open transaction. */
export type Executor = Db | Tx;

export class MissingDatabaseUrlError extends Error {
  constructor() {
    super("DATABASE_URL is not set: start the app with `npm start` (embedded PostgreSQL) or set DATABASE_URL to a PostgreSQL server.");
  }
}

interface Handle {
  url: string;
  client: postgres.Sql;
  db: Db;
}

// Kept on globalThis so dev-mode module reloads reuse one pool instead of leaking connections.
const store = globalThis as unknown as { __countersignDb?: Handle };

/** The shared pool, created on first use (never at import, never during `next build`). */
export function getDb(): Db {
  return getHandle().db;
}

export function getSql(): postgres.Sql {
  return getHandle().client;
}

function getHandle(): Handle {
  const url = process.env.DATABASE_URL;
  if (!url) throw new MissingDatabaseUrlError();
  const existing = store.__countersignDb;
  if (existing && existing.url === url) return existing;
  const client = postgres(url, {
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    onnotice: () => {},
    // Every query runs as the app role, never as the owner: the audit trail is append-only for
    // it, and row-level security applies to it. DATABASE_ROLE="" opts out (not recommended).
    connection: {
      application_name: "countersign",
      ...(appRole() ? { role: appRole() } : {}),
      // Operator processes only (the CLI, tests of query logic): they act across orgs, so
      // row-level security is bypassed for their whole pool. The app server never sets it.
      ...(process.env.DATABASE_RLS_BYPASS === "1" ? { "countersign.bypass": "on" } : {}),
    },
  });
  const handle: Handle = { url, client, db: drizzle(prepareStatements(client), { schema }) };
  store.__countersignDb = handle;
  return handle;
}

function appRole(): string {
  return process.env.DATABASE_ROLE ?? APP_ROLE;
}

/** Closes the shared pool; the next getDb() opens a new one. */
export async function closeDb(): Promise<void> {
  const existing = store.__countersignDb;
  store.__countersignDb = undefined;
  if (existing) await existing.client.end({ timeout: 5 });
}
