import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileScimFilter, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseScimFilter, ScimFilterError } from "@/lib/scim/filter";
import { ENTERPRISE } from "@/tests/support/scim-filter-arbitraries";
import type { RefElement } from "@/tests/support/scim-filter-reference";
import { openWorld, replaceRows, resolveTestAttribute, resolveWithJsonEmails, selectIds, type TestRow, type World } from "./scim-filter-world";

// Hostile and awkward filters, run by PostgreSQL: they match only literally, or are refused with
// a SCIM error; none reaches the database as SQL text or as a database error.

const dialect = new PgDialect();
let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(async () => {
  await world.client.end({ timeout: 5 });
});

const run = async (text: string, resolve = resolveTestAttribute) => selectIds(world, compileScimFilter(parseScimFilter(text), resolve));
const users = (names: (string | null)[], emails: RefElement[][] = []): TestRow[] =>
  names.map((username, i) => ({ id: i + 1, username, externalid: username, emails: emails[i] ?? [] }));

describe("SCIM filters on PostgreSQL resist injection and LIKE wildcards", () => {
  it("matches SQL-looking values literally, and leaves the tables alone", async () => {
    const hostile = ["x' or '1'='1", "'); drop table sf_users; --", "a\\'; select pg_sleep(5); --", "$1", "' union select 1 --"];
    await replaceRows(world, users([...hostile, "plain"]));
    for (const [i, value] of hostile.entries()) {
      expect(await run(`userName eq ${JSON.stringify(value)}`)).toEqual([i + 1]);
      expect(await run(`externalId co ${JSON.stringify(value)}`)).toEqual([i + 1]);
    }
    expect(await run('userName eq "x" or userName eq "plain"')).toEqual([6]);
    const counted = await world.client<{ n: number }[]>`select count(*)::int as n from sf_users`;
    expect(counted[0]?.n).toBe(6);
  });

  it("treats % _ and \\ in co, sw and ew as ordinary characters", async () => {
    await replaceRows(world, users(["a%b", "axb", "a_b", "ayb", "a\\b", "ab"]));
    expect(await run('userName co "%"')).toEqual([1]);
    expect(await run('userName co "_"')).toEqual([3]);
    expect(await run('userName co "\\\\"')).toEqual([5]);
    expect(await run('userName sw "a%"')).toEqual([1]);
    expect(await run('userName ew "_b"')).toEqual([3]);
    expect(await run('externalId co "a\\\\b"')).toEqual([5]);
    expect(await run('userName co ""')).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("SCIM filters compare case-insensitively across Unicode, whatever the database locale", () => {
  it("folds non-ASCII letters through the key column and through ICU lower()", async () => {
    const emails: RefElement[][] = [[{ value: "JOSÉ@EXAMPLE.TEST", type: "Work" }], [{ value: "ΟΔΥΣΣΕΑΣ@x.test", type: "home" }], [{ value: "İSTANBUL@x.test" }]];
    await replaceRows(world, users(["ÉMILE", "Straße", "İpek"], emails));
    expect(await run('userName eq "émile"')).toEqual([1]);
    expect(await run('userName sw "Ém" and userName co "MIL"')).toEqual([1]);
    expect(await run('userName eq "STRASSE"')).toEqual([]); // lower-casing is not full case folding: ß stays ß
    expect(await run('userName eq "straße"')).toEqual([2]);
    expect(await run('userName eq "i̇pek"')).toEqual([3]);
    for (const resolve of [resolveTestAttribute, resolveWithJsonEmails]) {
      expect(await run('emails.value eq "josé@example.test"', resolve)).toEqual([1]);
      expect(await run('emails[type eq "WORK" and value ew "@EXAMPLE.test"]', resolve)).toEqual([1]);
      expect(await run('emails co "οδυσσεας@"', resolve)).toEqual([2]);
      expect(await run('emails sw "i̇stanbul"', resolve)).toEqual([3]);
    }
    // caseExact attributes do not fold.
    expect(await run('externalId eq "émile"')).toEqual([]);
    expect(await run('externalId eq "ÉMILE"')).toEqual([1]);
  });
});

describe("SCIM filters on dates, numbers and the enterprise extension", () => {
  it("compares instants whatever the offset they are written with", async () => {
    await replaceRows(world, [
      { id: 1, "meta.created": "2026-01-01T00:00:00.000Z" },
      { id: 2, "meta.created": "2025-12-31T23:59:59.999Z" },
      { id: 3, "meta.created": null },
    ]);
    expect(await run('meta.created eq "2026-01-01T02:00:00+02:00"')).toEqual([1]);
    expect(await run('meta.created gt "2025-12-31T23:59:59.9989Z"')).toEqual([1, 2]);
    expect(await run('meta.created lt "2026-01-01T00:00:00Z"')).toEqual([2]);
    expect(await run('meta.created ne "2026-01-01T00:00:00Z"')).toEqual([2, 3]);
    expect(await run('meta.created ge "0001-01-01T00:00:00Z" and meta.created le "9999-12-31T23:59:59Z"')).toEqual([1, 2]);
  });

  it("compares numbers beyond 2^53 exactly, as written", async () => {
    await replaceRows(world, [{ id: 1, score: 0.25, age: 3 }, { id: 2, score: -1.5, age: -3 }]);
    expect(await run("score eq 0.25")).toEqual([1]);
    expect(await run("score gt 9007199254740993")).toEqual([]);
    expect(await run("age lt 9007199254740993 and score ge -1.5e0")).toEqual([1, 2]);
    expect(await run("score gt 1e-300")).toEqual([1]);
  });

  it("filters on the enterprise extension's attributes by their URN", async () => {
    await replaceRows(world, [{ id: 1, [`${ENTERPRISE}:department`]: "Sales" }, { id: 2, [`${ENTERPRISE}:department`]: "R&D" }]);
    expect(await run('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "sales"')).toEqual([1]);
    expect(await run("URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:DEPARTMENT pr")).toEqual([1, 2]);
    await expect(run('department eq "Sales"')).rejects.toBeInstanceOf(ScimFilterError);
  });
});

describe("compiled SCIM filters leave the planner its indexes", () => {
  it("serves userName eq and sw from the folded key's index, inside or, and through not (ne)", async () => {
    await replaceRows(world, users(Array.from({ length: 200 }, (_, i) => `user${i}@example.test`)));
    await world.client`create index if not exists sf_users_key_idx on sf_users (user_name_key text_pattern_ops)`;
    await world.client`analyze sf_users`;
    // A table this small is cheaper to scan: forbid that, so the plan shows whether an index can serve at all.
    await world.client`set enable_seqscan = off`;
    const plan = async (text: string) => {
      const query = dialect.sqlToQuery(sql`explain select u.id from sf_users u where ${compileScimFilter(parseScimFilter(text), resolveTestAttribute)}`);
      const rows = await world.client.unsafe<{ "QUERY PLAN": string }[]>(query.sql, query.params as never[]);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    };
    expect(await plan('userName eq "USER7@example.test"')).toMatch(/Index (Only )?Scan using sf_users_key_idx|Bitmap Index Scan on sf_users_key_idx/);
    expect(await plan('userName sw "USER7"')).toMatch(/sf_users_key_idx/);
    expect(await plan('userName eq "a" or userName eq "b"')).toMatch(/Bitmap Index Scan on sf_users_key_idx/);
    expect(await plan('not (userName ne "USER7@example.test")')).toMatch(/sf_users_key_idx/);
    expect(await run('userName eq "USER7@example.test"')).toEqual([8]);
    await world.client`reset enable_seqscan`;
  });
});

describe("SCIM filters at the limits run in PostgreSQL", () => {
  it(`runs a ${MAX_FILTER_LENGTH}-character or-chain and ${MAX_FILTER_DEPTH} levels of nesting`, async () => {
    await replaceRows(world, users(["u7", "u150", "other"]));
    let text = 'userName eq "u0"';
    for (let i = 1; text.length + ` or userName eq "u${i}"`.length <= MAX_FILTER_LENGTH; i++) text += ` or userName eq "u${i}"`;
    expect(text.length).toBeGreaterThan(MAX_FILTER_LENGTH - 30);
    expect(await run(text)).toEqual([1, 2]);
    const deep = `${"not (".repeat(MAX_FILTER_DEPTH)}userName eq "u7"${")".repeat(MAX_FILTER_DEPTH)}`;
    expect(await run(deep)).toEqual([1]); // an even number of nots
    const brackets = `${"(".repeat(MAX_FILTER_DEPTH - 1)}emails[value pr]${")".repeat(MAX_FILTER_DEPTH - 1)}`;
    expect(await run(brackets)).toEqual([]);
  });

  it("refuses deeper and longer filters before any SQL is built", () => {
    expect(() => parseScimFilter(`${"(".repeat(MAX_FILTER_DEPTH)}emails[value pr]${")".repeat(MAX_FILTER_DEPTH)}`)).toThrow(/deeper than 32/);
    expect(() => parseScimFilter(`userName eq "${"x".repeat(MAX_FILTER_LENGTH)}"`)).toThrow(ScimFilterError);
  });
});
