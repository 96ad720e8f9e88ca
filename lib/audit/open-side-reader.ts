// A second connection for the chain verification's second COPY stream (scan-chain.ts), so that
// PostgreSQL writes the chain's rows on two cores at once.
import type postgres from "postgres";
import { getSql, type Executor } from "@/db/client";
import { rawSqlOf } from "./raw-sql";

/** An open transaction on another connection, scoped exactly as the caller's; `close` commits it. */
export interface SideReader {
  sql: postgres.Sql;
  close(): Promise<void>;
}

// How long a verification waits for a free pool connection before it reads with one stream
// only: a pool full of verifications, each holding one connection and waiting for another,
// must never wait on each other.
const WAIT_MS = 250;

interface CallerScope {
  role: string;
  db: string;
  server: string;
  org_id: string;
  user_id: string;
  bypass: string;
  supplier_scope: string;
}

// What the caller reads as: its role and database, and its tenant scope (db/tenant-scope.ts).
const SERVER = `concat_ws(' ', inet_server_addr(), inet_server_port(), pg_postmaster_start_time())`;
const READ_SCOPE = `select current_user::text as role, current_database()::text as db, ${SERVER} as server,
  coalesce(current_setting('countersign.org_id', true), '') as org_id, coalesce(current_setting('countersign.user_id', true), '') as user_id,
  coalesce(current_setting('countersign.bypass', true), '') as bypass, coalesce(current_setting('countersign.supplier_scope', true), '') as supplier_scope`;

// The same scope, transaction-local, on the side connection; its role and database come back to be compared.
const APPLY_SCOPE = `select current_user::text as role, current_database()::text as db, ${SERVER} as server, set_config('countersign.org_id', $1, true),
  set_config('countersign.user_id', $2, true), set_config('countersign.bypass', $3, true), set_config('countersign.supplier_scope', $4, true)`;

/**
 * Opens a transaction on a second connection of the pool that reads exactly as `db` does: the
 * same role, server and database (else null: never a wider or another view), the same tenant scope
 * settings, so row-level security admits the same rows. `db` is the pool itself or one of its
 * transactions (then the app's shared pool is used). Null when no connection is free soon, or
 * the pool has only one.
 */
export async function openSideReader(db: Executor): Promise<SideReader | null> {
  const main = rawSqlOf(db);
  const pool = poolOf(main);
  if (!pool || (pool.options.max ?? 1) < 2) return null;
  const [scope] = await main.unsafe<CallerScope[]>(READ_SCOPE);
  if (!scope) return null;

  let give!: (side: postgres.Sql | null) => void;
  const opened = new Promise<postgres.Sql | null>((resolve) => (give = resolve));
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let abandoned = false;
  const transaction = pool
    .begin(async (sql) => {
      // Came too late: the verification went on with one stream; commit the empty transaction.
      if (abandoned) return;
      const [side] = await sql.unsafe<Array<{ role: string; db: string; server: string }>>(APPLY_SCOPE, [scope.org_id, scope.user_id, scope.bypass, scope.supplier_scope]);
      if (!side || side.role !== scope.role || side.db !== scope.db || side.server !== scope.server) return give(null);
      give(sql as unknown as postgres.Sql);
      await finished;
    })
    .catch(() => give(null));
  const timer = setTimeout(() => {
    abandoned = true;
    give(null);
  }, WAIT_MS);
  const sql = await opened;
  clearTimeout(timer);
  if (!sql) {
    finish();
    return null;
  }
  return {
    sql,
    close: async () => {
      finish();
      await transaction;
    },
  };
}

/** The pool behind `sql`: itself, or for a transaction's connection the app's shared pool. */
function poolOf(sql: postgres.Sql): postgres.Sql | null {
  if (typeof (sql as { reserve?: unknown }).reserve === "function" && sql.options) return sql;
  try {
    return getSql();
  } catch {
    return null;
  }
}
