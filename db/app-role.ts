import type postgres from "postgres";

/** The PostgreSQL role the app's queries run as; see db/migrations/0001. */
export const APP_ROLE = "countersign_app";

// Tables the app may only append to and read: the trail must not be editable from the app.
const APPEND_ONLY_TABLES = ["audit_events", "audit_checkpoints"];

/**
 * Grants the app role what it needs on every table, then takes back UPDATE, DELETE and TRUNCATE
 * on the append-only ones. Run after every migration, so a table added later is covered without
 * anyone remembering to grant it.
 */
export async function grantAppRolePrivileges(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`grant usage on schema public to ${APP_ROLE}`);
  await sql.unsafe(`grant select, insert, update, delete on all tables in schema public to ${APP_ROLE}`);
  await sql.unsafe(`grant usage, select on all sequences in schema public to ${APP_ROLE}`);
  await sql.unsafe(`revoke update, delete, truncate on ${APPEND_ONLY_TABLES.join(", ")} from ${APP_ROLE}`);
  await sql.unsafe(`grant usage on schema drizzle to ${APP_ROLE}`);
  await sql.unsafe(`grant select on all tables in schema drizzle to ${APP_ROLE}`);
}
