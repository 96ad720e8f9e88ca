import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { compileScimFilter, compileScimSort, MAX_FILTER_SUBQUERIES, parseScimFilter, ScimFilterError, type ScimAttributeMap } from "@/lib/scim/filter";
import { resolveTestAttribute } from "@/tests/integration/scim-filter-world";

const dialect = new PgDialect();
const compile = (text: string, resolve: ScimAttributeMap = resolveTestAttribute) => dialect.sqlToQuery(compileScimFilter(parseScimFilter(text), resolve));

function refusal(run: () => unknown): ScimFilterError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimFilterError) return error;
    throw error;
  }
  throw new Error("accepted");
}

describe("compileScimFilter binds every value as a parameter", () => {
  it("never writes a value into the SQL text", () => {
    const hostile = `x' or '1'='1"); drop table sf_users; --`;
    const query = compile(`userName eq ${JSON.stringify(hostile)} or emails.value co ${JSON.stringify(hostile)} or externalId sw ${JSON.stringify(hostile)}`);
    expect(query.sql).not.toContain("drop table");
    expect(query.sql).not.toContain("'1'='1");
    const escaped = hostile.replace("_", "\\_");
    expect(query.params).toEqual([hostile.toLowerCase(), `%${escaped}%`, `${escaped}%`]);
  });

  it("escapes LIKE's metacharacters in co, sw and ew, and folds before escaping", () => {
    expect(compile('externalId co "50%_\\\\x"').params).toEqual(["%50\\%\\_\\\\x%"]);
    expect(compile('userName sw "A%"').params).toEqual(["a\\%%"]);
    expect(compile('userName ew "_É"').params).toEqual(["%\\_é"]);
    expect(compile('userName co "x"').sql).toContain("escape '\\'");
  });

  it("uses the folded key column when there is one, and ICU lower() otherwise", () => {
    expect(compile('userName eq "A"').sql).toBe("(u.user_name_key is not null and u.user_name_key = cast($1 as text))");
    expect(compile('displayName eq "A"').sql).toBe(
      '(u.display_name is not null and lower((u.display_name) collate "und-x-icu") = lower((cast($1 as text)) collate "und-x-icu"))',
    );
    const exact = compile('externalId eq "A"');
    expect([exact.sql, exact.params]).toEqual(["(u.external_id is not null and u.external_id = cast($1 as text))", ["A"]]);
  });

  it("lets or-ed tests of one multi-valued attribute share one EXISTS, and never and-ed ones", () => {
    const exists = (text: string) => compile(text).sql.match(/exists \(select 1 from sf_emails/g)?.length ?? 0;
    expect(exists('emails.value eq "a" or userName pr or emails[type eq "work"] or emails pr')).toBe(1);
    expect(exists('emails.value eq "a" and emails.value eq "b"')).toBe(2);
    expect(exists('(emails.value eq "a" or emails.value eq "b") and (emails pr or emails.primary eq true)')).toBe(2);
    expect(exists(Array.from({ length: 150 }, (_, i) => `emails.value eq "e${i}"`).join(" or "))).toBe(1);
  });

  it(`refuses a filter of more than ${MAX_FILTER_SUBQUERIES} EXISTS subqueries, naming the way to combine them`, () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `emails.value ne "e${i}"`).join(" and ");
    expect(compile(chain(MAX_FILTER_SUBQUERIES)).sql.match(/exists/g)).toHaveLength(MAX_FILTER_SUBQUERIES);
    const error = refusal(() => compile(chain(MAX_FILTER_SUBQUERIES + 1)));
    expect(error.scimType).toBe("invalidFilter");
    expect(error.message).toMatch(/more than 16 places: combine the tests of one attribute in one value path/);
    expect(refusal(() => compile(`not (${chain(MAX_FILTER_SUBQUERIES + 1)})`)).scimType).toBe("invalidFilter");
  });

  it("compiles a multi-valued attribute to EXISTS, one per value path", () => {
    const query = compile('emails[type eq "work"] and emails pr');
    expect(query.sql.match(/exists \(select 1 from sf_emails/g)).toHaveLength(2);
    expect(query.sql).toContain("and true)");
  });
});

describe("compileScimFilter refuses what cannot be compared", () => {
  it.each<[string, "invalidFilter" | "invalidValue", RegExp]>([
    ["nickName eq \"x\"", "invalidFilter", /"nickName" is not an attribute/],
    ["constructor pr", "invalidFilter", /"constructor" is not an attribute/],
    ["emails.constructor pr", "invalidFilter", /emails has no sub-attribute "constructor"/],
    ["emails[constructor pr]", "invalidFilter", /"emails" has no sub-attribute "constructor"/],
    ["emails.nope eq 1", "invalidFilter", /no sub-attribute "nope"/],
    ["userName.x pr", "invalidFilter", /"userName.x" is not an attribute/],
    ["userName[value pr]", "invalidFilter", /only to a multi-valued attribute/],
    ["emails.value[type pr]", "invalidFilter", /not the sub-attribute/],
    ["active gt true", "invalidFilter", /only be compared with eq, ne or pr/],
    ["active le false", "invalidFilter", /only be compared with eq, ne or pr/],
    ["active co \"t\"", "invalidFilter", /only be compared with eq, ne or pr/],
    ["active eq \"True\"", "invalidFilter", /compare it with true or false, unquoted/],
    ["age eq \"3\"", "invalidFilter", /is a number/],
    ["age co 3", "invalidFilter", /a number is compared with/],
    ["userName eq 3", "invalidFilter", /holds text/],
    ["userName gt null", "invalidFilter", /null can only be compared with eq or ne/],
    ["meta.created sw \"2026\"", "invalidFilter", /a date and time is compared/],
    ["meta.created gt 2026", "invalidFilter", /quoted one/],
    ["meta.created gt \"yesterday\"", "invalidValue", /not a date and time/],
    ["meta.created gt \"2026-02-30T00:00:00Z\"", "invalidValue", /not a date and time/],
    ["meta.created gt \"0000-01-01T00:00:00Z\"", "invalidValue", /years 0001 to 9999/],
    ["meta.created gt \"2026-01-01T24:00:00Z\"", "invalidValue", /not a date and time/],
    ["meta.created gt \"2026-01-01T00:00:00\"", "invalidValue", /with Z or an offset/],
    ["meta.created gt \"2026-01-01T00:00:00+15:00\"", "invalidValue", /not a date and time/],
    ["meta.created gt \"+275760-09-13T00:00:00Z\"", "invalidValue", /not a date and time/],
  ])("%s → %s", (text, scimType, message) => {
    const error = refusal(() => compile(text));
    expect(error.scimType).toBe(scimType);
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it("answers the SCIM Error schema", () => {
    expect(JSON.parse(JSON.stringify(refusal(() => compile("active gt true"))))).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "400",
      scimType: "invalidFilter",
      detail: expect.stringContaining("active"),
    });
  });

  it("refuses a multi-valued attribute without a primary sub-attribute to compare", () => {
    const noPrimary: ScimAttributeMap = () => ({ kind: "multi", exists: (where) => sql`exists(${where})`, subs: {} });
    expect(refusal(() => compile('groups eq "x"', noPrimary)).message).toMatch(/compare one of them, such as groups.value/);
  });
});

describe("compileScimSort", () => {
  it("gives nothing without sortBy, and ascending by default", () => {
    expect(compileScimSort(undefined, "descending", resolveTestAttribute)).toBeUndefined();
    expect(dialect.sqlToQuery(compileScimSort("userName", undefined, resolveTestAttribute) ?? sql``).sql).toBe('(u.user_name_key) collate "C" asc nulls last');
    expect(dialect.sqlToQuery(compileScimSort("externalId", "DESCENDING", resolveTestAttribute) ?? sql``).sql).toBe('(u.external_id) collate "C" desc nulls first');
    expect(dialect.sqlToQuery(compileScimSort("emails", "ascending", resolveTestAttribute) ?? sql``).sql).toMatch(/^\(select e.value from sf_emails/);
  });

  it.each<[string, string | undefined, RegExp]>([
    ["nickName", undefined, /"nickName" is not an attribute/],
    ["emails.type", undefined, /cannot be sorted on/],
    ["userName", "sideways", /"sortOrder" must be ascending or descending/],
    ["userName eq \"x\"", undefined, /The sortBy is not valid/],
    ["__proto__", undefined, /The sortBy is not valid/],
  ])("refuses sortBy=%j sortOrder=%j with invalidValue", (sortBy, sortOrder, message) => {
    const error = refusal(() => compileScimSort(sortBy, sortOrder, resolveTestAttribute));
    expect(error.scimType).toBe("invalidValue");
    expect(error.message).toMatch(message);
  });
});
