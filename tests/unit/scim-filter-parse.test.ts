import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseScimFilter, ScimFilterError, type ScimFilter } from "@/lib/scim/filter";
import { filterArb, spellingArb, withoutText } from "@/tests/support/scim-filter-arbitraries";
import { printScimFilter } from "@/tests/support/scim-filter-reference";

const parse = (text: string) => withoutText(parseScimFilter(text));
const user = { attr: "username" };

function refusal(text: string): ScimFilterError {
  try {
    parseScimFilter(text);
  } catch (error) {
    if (error instanceof ScimFilterError) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe("parseScimFilter: each rule of RFC 7644 §3.4.2.2", () => {
  it.each(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])("reads the %s operator, in any case", (op) => {
    const expected: ScimFilter = { kind: "compare", attr: user, op: op as "eq", value: "x" };
    expect(parse(`userName ${op} "x"`)).toEqual(expected);
    expect(parse(`USERNAME ${op.toUpperCase()} "x"`)).toEqual(expected);
  });

  it("reads pr, and keeps the name as written beside the lower-cased one", () => {
    expect(parseScimFilter("Title pr")).toEqual({ kind: "present", attr: { attr: "title", text: "Title" } });
  });

  it("reads literals: strings with JSON escapes, numbers exactly as written, true, false and null", () => {
    expect(parse('a eq "q\\"\\\\\\/\\u00e9\\n\\ud83d\\ude00"')).toMatchObject({ value: 'q"\\/é\n😀' });
    expect(parse("a eq -1.5e3")).toMatchObject({ value: -1500, numberText: "-1.5e3" });
    expect(parse("a eq 12345678901234567890")).toMatchObject({ numberText: "12345678901234567890" });
    expect(parse("a eq 0")).toMatchObject({ value: 0 });
    expect(parse("a eq True")).toMatchObject({ value: true });
    expect(parse("a eq false")).toMatchObject({ value: false });
    expect(parse("a eq NULL")).toMatchObject({ value: null });
  });

  it("binds not tighter than and, and and tighter than or", () => {
    expect(parse("a pr or b pr and c pr")).toEqual({
      kind: "or",
      filters: [{ kind: "present", attr: { attr: "a" } }, { kind: "and", filters: [{ kind: "present", attr: { attr: "b" } }, { kind: "present", attr: { attr: "c" } }] }],
    });
    expect(parse("not (a pr) and b pr")).toEqual({ kind: "and", filters: [{ kind: "not", filter: { kind: "present", attr: { attr: "a" } } }, { kind: "present", attr: { attr: "b" } }] });
    expect(parse("a pr and b pr and c pr")).toMatchObject({ kind: "and", filters: [{}, {}, {}] });
  });

  it("lets parentheses override precedence", () => {
    expect(parse("(a pr or b pr) and c pr")).toEqual({
      kind: "and",
      filters: [{ kind: "or", filters: [{ kind: "present", attr: { attr: "a" } }, { kind: "present", attr: { attr: "b" } }] }, { kind: "present", attr: { attr: "c" } }],
    });
    expect(parse("((a pr))")).toEqual({ kind: "present", attr: { attr: "a" } });
  });

  it("reads value paths, whose names are the multi-valued attribute's sub-attributes", () => {
    expect(parse('emails[type eq "work" and value co "@x"] and userName pr')).toEqual({
      kind: "and",
      filters: [
        {
          kind: "valuePath",
          attr: { attr: "emails" },
          filter: { kind: "and", filters: [{ kind: "compare", attr: { attr: "type" }, op: "eq", value: "work" }, { kind: "compare", attr: { attr: "value" }, op: "co", value: "@x" }] },
        },
        { kind: "present", attr: user },
      ],
    });
    expect(parse("emails[not (primary eq true)]")).toMatchObject({ kind: "valuePath", filter: { kind: "not" } });
  });

  it("reads sub-attributes and schema-URN prefixes (whose version holds a dot)", () => {
    expect(parse('name.familyName eq "J"')).toMatchObject({ attr: { attr: "name", sub: "familyname" } });
    expect(parse('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"')).toMatchObject({
      attr: { schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user", attr: "department" },
    });
    expect(parse('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName sw "B"')).toMatchObject({
      attr: { schema: "urn:ietf:params:scim:schemas:core:2.0:user", attr: "name", sub: "givenname" },
    });
    expect(parse('members.$ref eq "x"')).toMatchObject({ attr: { attr: "members", sub: "$ref" } });
  });

  it("treats 'not' as a name unless '(' follows, and accepts tabs and newlines between tokens", () => {
    expect(parse("not pr")).toEqual({ kind: "present", attr: { attr: "not" } });
    expect(parse('userName\teq\n"x"')).toMatchObject({ op: "eq", value: "x" });
  });

  it("round-trips every generated filter through text, in any letter case", () => {
    fc.assert(
      fc.property(filterArb, spellingArb, (filter, spell) => {
        expect(parse(printScimFilter(filter, spell))).toEqual(filter);
      }),
      { numRuns: 500 },
    );
  });
});

describe("parseScimFilter refuses bad input with invalidFilter, naming where and why", () => {
  it.each<[string, number, RegExp]>([
    ["userName", 8, /operator .* after "userName" but found the end/],
    ["userName xx \"a\"", 9, /operator .* found "xx"/],
    ["userName eq", 11, /expected a value after "eq"/],
    ['userName eq "a', 12, /never closed/],
    ["(userName pr", 12, /"\)" to close the "\(" at character 1/],
    ["userName pr)", 11, /unexpected "\)"/],
    ['userName eq "a" userName pr', 16, /unexpected "userName" \(is an "and" or "or" missing\?\)/],
    ['userName eq "a" and', 19, /expected an attribute name/],
    ['emails[type eq "a"', 18, /"\]" to close the "\["/],
    ["emails[type[value pr]]", 11, /nested inside brackets/],
    ["emails.value[type pr]", 12, /not the sub-attribute "emails.value"/],
    ["emails[name.x pr]", 7, /sub-attribute of it alone/],
    ["a.b.c pr", 0, /more than one sub-attribute/],
    ["foo:bar pr", 0, /not a schema URN/],
    ["not userName pr", 4, /not \(\.\.\.\)/],
    ["userName eq .5", 12, /expected a value/],
    ["userName eq 'x'", 12, /unexpected character "'"/],
    ["userName # 1", 9, /unexpected character "#"/],
    ['userName eq "a\\x"', 12, /not a valid JSON string/],
    ['userName eq "tab\there"', 12, /not a valid JSON string/],
    ["userName eq - 1", 12, /does not begin a number/],
    ["__proto__ pr", 0, /unexpected character "_"/],
  ])("%j at character %i", (text, position, message) => {
    const error = refusal(text);
    expect(error.scimType).toBe("invalidFilter");
    expect(error.status).toBe(400);
    expect(error.position).toBe(position);
    expect(error.message).toMatch(/^The filter is not valid at character \d+: /);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`character ${position + 1}:`);
  });

  it("refuses NUL bytes, raw or escaped, and lone surrogates", () => {
    expect(refusal('userName eq "a\u0000"')).toMatchObject({ scimType: "invalidFilter", position: 14, message: expect.stringMatching(/NUL/) });
    expect(refusal('userName eq "a\\u0000"').message).toMatch(/NUL/);
    expect(refusal('userName eq "\ud800"').message).toMatch(/lone UTF-16 surrogate/);
    expect(refusal('userName eq "\\udc00x"').message).toMatch(/lone UTF-16 surrogate/);
  });

  it("refuses empty, non-text and over-long filters before parsing", () => {
    expect(refusal("   ").message).toBe("The filter is empty.");
    expect(refusal(42 as unknown as string).message).toBe("The filter must be text.");
    const longest = `userName eq "${"a".repeat(MAX_FILTER_LENGTH - 14)}"`;
    expect(longest).toHaveLength(MAX_FILTER_LENGTH);
    expect(parse(longest)).toMatchObject({ op: "eq" });
    expect(refusal(`${longest} `).message).toBe(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  });

  it("refuses numbers beyond what any attribute holds with invalidValue", () => {
    expect(refusal("age gt 1e5000")).toMatchObject({ scimType: "invalidValue", message: expect.stringMatching(/1e5000 is out of range/) });
    expect(refusal("age gt 1e-5000").scimType).toBe("invalidValue");
    expect(refusal("age gt 1e301").scimType).toBe("invalidValue");
    expect(parse("age gt 1e300")).toMatchObject({ numberText: "1e300" });
  });

  it(`accepts ${MAX_FILTER_DEPTH} levels of nesting and refuses one more, as an error and not a stack overflow`, () => {
    const nested = (n: number, open: string, close: string) => `${open.repeat(n)}a pr${close.repeat(n)}`;
    expect(parse(nested(MAX_FILTER_DEPTH, "(", ")"))).toEqual({ kind: "present", attr: { attr: "a" } });
    expect(refusal(nested(MAX_FILTER_DEPTH + 1, "(", ")"))).toMatchObject({ scimType: "invalidFilter", position: MAX_FILTER_DEPTH, message: expect.stringMatching(/deeper than 32/) });
    expect(refusal(nested(MAX_FILTER_DEPTH + 1, "not (", ")")).message).toMatch(/deeper than 32/);
    // As deep as the length limit allows: still the same refusal, found at the 33rd level.
    expect(refusal("(".repeat(MAX_FILTER_LENGTH)).position).toBe(MAX_FILTER_DEPTH);
    expect(refusal("not (".repeat(800)).message).toMatch(/deeper than 32/);
  });

  it("reads a long and/or chain (as long as the limit allows) as one flat list", () => {
    let text = "a eq 0";
    for (let i = 1; text.length + ` or a eq ${i}`.length <= MAX_FILTER_LENGTH; i++) text += ` or a eq ${i}`;
    const filter = parse(text);
    expect(filter.kind).toBe("or");
    if (filter.kind === "or") expect(filter.filters.length).toBeGreaterThan(300);
  });
});
