import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileScimFilter, compileScimSort, parseScimFilter } from "@/lib/scim/filter";
import { filterArb, REF_SCHEMA, rowArb, spellingArb } from "@/tests/support/scim-filter-arbitraries";
import { compareCodePoints, evaluateScimFilter, printScimFilter, type RefRow } from "@/tests/support/scim-filter-reference";
import { openWorld, replaceRows, resolveTestAttribute, resolveWithJsonEmails, selectIds, type TestRow, type World } from "./scim-filter-world";

// The compiled SQL, run by PostgreSQL over random rows, must pick exactly the rows the in-memory
// reference picks, for random filters written as text in random letter case.

let world: World;
beforeAll(async () => {
  world = await openWorld();
});
afterAll(async () => {
  await world.client.end({ timeout: 5 });
});

const rowsArb = fc.array(rowArb, { maxLength: 10 }).map((rows) => rows.map((row, i): TestRow => ({ ...row, id: i + 1 })));

describe("compiled SCIM filters against the reference", () => {
  it("select the same rows as the in-memory reference, for random filters and rows", async () => {
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.array(fc.tuple(filterArb, spellingArb), { minLength: 1, maxLength: 8 }), async (rows, cases) => {
        await replaceRows(world, rows);
        for (const [filter, spell] of cases) {
          const text = printScimFilter(filter, spell);
          const parsed = parseScimFilter(text);
          const expected = rows.filter((row) => evaluateScimFilter(filter, row, REF_SCHEMA)).map((row) => row.id);
          expect({ text, ids: await selectIds(world, compileScimFilter(parsed, resolveTestAttribute)) }).toEqual({ text, ids: expected });
          // The same emails in a jsonb array instead of a child table answer the same.
          expect({ text, ids: await selectIds(world, compileScimFilter(parsed, resolveWithJsonEmails)) }).toEqual({ text, ids: expected });
        }
      }),
      { numRuns: 120 },
    );
  }, 120_000); // about 5 s alone; room for a machine shared with other test files

  it("sort by a random attribute in the order the reference gives (lower-cased, code points, missing last)", async () => {
    const sortable = ["userName", "displayName", "externalId", "meta.created", "age", "score", "active"];
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.constantFrom(...sortable), fc.constantFrom("ascending", "descending", "Descending"), async (rows, sortBy, sortOrder) => {
        await replaceRows(world, rows);
        const got = await selectIds(world, sql`true`, compileScimSort(sortBy, sortOrder, resolveTestAttribute));
        expect(got).toEqual(referenceSort(rows, sortBy, sortOrder.toLowerCase() === "descending"));
      }),
      { numRuns: 60 },
    );
  });
});

function referenceSort(rows: TestRow[], sortBy: string, descending: boolean): number[] {
  const key = sortBy.toLowerCase();
  const attr = REF_SCHEMA.singles[key];
  const valueOf = (row: RefRow) => row[key] as string | number | boolean | null | undefined;
  const compareValues = (a: TestRow, b: TestRow): number => {
    const x = valueOf(a);
    const y = valueOf(b);
    const xMissing = x === null || x === undefined;
    const yMissing = y === null || y === undefined;
    if (xMissing || yMissing) return xMissing === yMissing ? 0 : descending === xMissing ? -1 : 1;
    let sign: number;
    if (attr?.type === "string") sign = attr.caseExact ? compareCodePoints(String(x), String(y)) : compareCodePoints(String(x).toLowerCase(), String(y).toLowerCase());
    else if (attr?.type === "dateTime") sign = Math.sign(Date.parse(String(x)) - Date.parse(String(y)));
    else sign = Math.sign(Number(x) - Number(y));
    return descending ? -sign : sign;
  };
  return [...rows].sort((a, b) => compareValues(a, b) || a.id - b.id).map((row) => row.id);
}
