import type postgres from "postgres";

/** What pg-boss 12 asks of a database (`IDatabase`): one method, statements in and rows out. */
export interface JobDatabase {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * pg-boss over postgres.js, our only driver: pg-boss is given this as its `db` option, so it
 * never opens a connection of its own through `pg` (docs/adr/0020). A statement with values goes
 * through the extended protocol as pg's would. One without runs as a simple query on a connection
 * reserved for it: pg-boss's installation, migration and maintenance plans are scripts of many
 * statements wrapped in BEGIN … COMMIT, which postgres.js allows only on a reserved connection
 * (a script must never be split across the pool). Rows come back as postgres.js reads them
 * (timestamps as Date, json parsed), which is what pg-boss reads from pg.
 */
export function adaptPostgresJs(sql: postgres.Sql): JobDatabase {
  return {
    async executeSql(text, values) {
      const params = (values ?? []).map(toParameter) as postgres.ParameterOrJSON<never>[];
      const result = params.length > 0 ? await sql.unsafe(text, params) : await runScript(sql, text);
      // A script answers one result per statement: pg-boss wants the rows of all of them, in order
      // (its advisory-lock claims read the lock's row from the first).
      const rows = Array.isArray(result[0]) ? (result as unknown as unknown[][]).flat() : [...result];
      return { rows };
    },
  };
}

async function runScript(sql: postgres.Sql, text: string) {
  const reserved = await sql.reserve();
  try {
    return await reserved.unsafe(text).simple();
  } finally {
    reserved.release();
  }
}

/**
 * A value as pg would send it (its prepareValue): undefined as NULL (postgres.js refuses it), a
 * Date as an ISO instant, a plain object as JSON text. postgres.js picks its own serializer from
 * the type the server infers for the placeholder, which is text for some of pg-boss's, so a Date
 * or an object must already be text.
 */
function toParameter(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object" && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}
