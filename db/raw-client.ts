import type postgres from "postgres";
import type { Executor } from "./client";

/**
 * The postgres.js client under a drizzle executor (the pool, or the open transaction's own
 * connection), for what drizzle does not expose: named prepared statements, COPY streams, and
 * statements sent at once rather than when awaited.
 */
export function rawSqlOf(db: Executor): postgres.Sql {
  return (db as unknown as { session: { client: postgres.Sql } }).session.client;
}
