import postgres from "postgres";
import { sql, type SQL } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { AttrPath, ScimAttribute, ScimAttributeMap, ScimColumnAttribute } from "@/lib/scim/filter";
import { CORE_USER, ENTERPRISE } from "@/tests/support/scim-filter-arbitraries";
import type { RefElement, RefRow } from "@/tests/support/scim-filter-reference";

/*
 * A scratch pair of tables standing in for SCIM users and their emails, in temporary tables on
 * one connection of the test file's own database, so the compiler is tested without depending on
 * the real SCIM schema. userName is matched through a JS-folded key column (as a stored key would
 * be), emails through ICU lower(), so both case-insensitive paths meet the reference.
 */

const COLUMNS: Record<string, ScimColumnAttribute> = {
  username: { kind: "column", sql: sql`u.user_name`, folded: sql`u.user_name_key`, type: "string", caseExact: false },
  displayname: { kind: "column", sql: sql`u.display_name`, type: "string", caseExact: false },
  externalid: { kind: "column", sql: sql`u.external_id`, type: "string", caseExact: true },
  active: { kind: "column", sql: sql`u.active`, type: "boolean", caseExact: false },
  "meta.created": { kind: "column", sql: sql`u.created`, type: "dateTime", caseExact: false },
  age: { kind: "column", sql: sql`u.age`, type: "integer", caseExact: false },
  score: { kind: "column", sql: sql`u.score`, type: "decimal", caseExact: false },
  [`${ENTERPRISE}:department`]: { kind: "column", sql: sql`u.department`, type: "string", caseExact: false },
};

const EMAILS: ScimAttribute = {
  kind: "multi",
  exists: (where: SQL) => sql`exists (select 1 from sf_emails e where e.user_id = u.id and ${where})`,
  subs: {
    value: { kind: "column", sql: sql`e.value`, type: "string", caseExact: false },
    type: { kind: "column", sql: sql`e.type`, type: "string", caseExact: false },
    primary: { kind: "column", sql: sql`e."primary"`, type: "boolean", caseExact: false },
  },
  primarySub: "value",
  sort: sql`(select e.value from sf_emails e where e.user_id = u.id order by e."primary" desc nulls last, e.ord limit 1)`,
};

/** The same emails kept as a jsonb array on the user row, the other storage the multi kind allows. */
const EMAILS_JSON: ScimAttribute = {
  kind: "multi",
  exists: (where: SQL) => sql`exists (select 1 from jsonb_array_elements(u.emails_json) as e(j) where ${where})`,
  subs: {
    value: { kind: "column", sql: sql`(e.j ->> 'value')`, type: "string", caseExact: false },
    type: { kind: "column", sql: sql`(e.j ->> 'type')`, type: "string", caseExact: false },
    primary: { kind: "column", sql: sql`(e.j ->> 'primary')::boolean`, type: "boolean", caseExact: false },
  },
  primarySub: "value",
};

export const resolveWithJsonEmails: ScimAttributeMap = (path) => (path.schema === undefined && path.attr === "emails" ? EMAILS_JSON : resolveTestAttribute(path));

/** Core-schema URNs name the same attributes as bare names; the enterprise one only with its URN. */
export const resolveTestAttribute: ScimAttributeMap = (path: AttrPath) => {
  const schema = path.schema === CORE_USER ? undefined : path.schema;
  if (schema === undefined && path.attr === "emails") return EMAILS;
  const key = `${schema === undefined ? "" : `${schema}:`}${path.attr}${path.sub === undefined ? "" : `.${path.sub}`}`;
  return Object.hasOwn(COLUMNS, key) ? COLUMNS[key] : undefined;
};

export type World = { db: PostgresJsDatabase; client: postgres.Sql };

export async function openWorld(): Promise<World> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (tests/support/per-file-database.ts sets it)");
  // One connection, so the temporary tables are visible to every query of the file.
  const client = postgres(url, { max: 1, onnotice: () => {} });
  await client.unsafe(`
    create temp table sf_users (id int primary key, user_name text, user_name_key text, display_name text, external_id text,
      active boolean, created timestamptz, age integer, score numeric, department text, emails_json jsonb not null default '[]');
    create temp table sf_emails (user_id int not null, ord int not null, value text, type text, "primary" boolean);`);
  return { db: drizzle(client), client };
}

export type TestRow = RefRow & { id: number };

export async function replaceRows(world: World, rows: TestRow[]): Promise<void> {
  await world.client`truncate sf_users, sf_emails`;
  for (const row of rows) {
    // Rows a test writes by hand may leave attributes out: absent is stored as null.
    const get = <T>(key: string) => (row[key] ?? null) as T | null;
    const userName = get<string>("username");
    await world.client`insert into sf_users values (${row.id}, ${userName}, ${userName === null ? null : userName.toLowerCase()},
      ${get<string>("displayname")}, ${get<string>("externalid")}, ${get<boolean>("active")}, ${get<string>("meta.created")},
      ${get<number>("age")}, ${get<number>("score")}, ${get<string>(`${ENTERPRISE}:department`)})`;
    const emails = (row.emails ?? []) as RefElement[];
    await world.client`update sf_users set emails_json = ${JSON.stringify(emails)}::jsonb where id = ${row.id}`;
    for (const [ord, email] of emails.entries()) {
      await world.client`insert into sf_emails values (${row.id}, ${ord}, ${email.value ?? null}, ${email.type ?? null}, ${email.primary ?? null})`;
    }
  }
}

export async function selectIds(world: World, where: SQL, orderBy?: SQL): Promise<number[]> {
  const result = await world.db.execute<{ id: number }>(sql`select u.id from sf_users u where ${where} order by ${orderBy ?? sql`u.id`}${orderBy ? sql`, u.id` : sql``}`);
  return Array.from(result, (r) => r.id);
}
