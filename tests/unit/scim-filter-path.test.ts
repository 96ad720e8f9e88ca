import { describe, expect, it } from "vitest";
import { parseScimAttrPath, parseScimPath, ScimFilterError } from "@/lib/scim/filter";
import { withoutText } from "@/tests/support/scim-filter-arbitraries";

function refusal(run: () => unknown): ScimFilterError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimFilterError) return error;
    throw error;
  }
  throw new Error("accepted");
}

const path = (text: string) => {
  const parsed = parseScimPath(text);
  return { ...parsed, attr: { ...parsed.attr, text: undefined }, filter: parsed.filter && withoutText(parsed.filter) };
};

describe("parseScimPath (RFC 7644 §3.5.2)", () => {
  it("reads an attribute, a sub-attribute and a schema-URN-prefixed attribute", () => {
    expect(path("displayName")).toMatchObject({ attr: { attr: "displayname" }, text: "displayName" });
    expect(path("name.familyName")).toMatchObject({ attr: { attr: "name", sub: "familyname" } });
    expect(path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager")).toMatchObject({
      attr: { schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user", attr: "manager" },
    });
    expect(parseScimPath("active").filter).toBeUndefined();
  });

  it("reads value paths, with and without a sub-attribute after the brackets", () => {
    expect(path('members[value eq "2819c223"]')).toMatchObject({
      attr: { attr: "members" },
      filter: { kind: "compare", attr: { attr: "value" }, op: "eq", value: "2819c223" },
    });
    const sub = path('emails[type eq "work" and primary eq true].Value');
    expect(sub).toMatchObject({ attr: { attr: "emails" }, sub: "value", filter: { kind: "and" } });
    expect(path('addresses[type eq "work"].streetAddress').sub).toBe("streetaddress");
  });

  it.each<[string, "invalidPath" | "invalidFilter", number, RegExp]>([
    ["", "invalidPath", -1, /The path is empty/],
    ["a.b.c", "invalidPath", 0, /more than one sub-attribute/],
    ['"value"', "invalidPath", 0, /expected an attribute name/],
    ["emails value", "invalidPath", 7, /unexpected "value" after the path/],
    ['emails[type eq "work"].', "invalidPath", 23, /sub-attribute name after "\]\."/],
    ['emails[type eq "work"]value', "invalidPath", 22, /unexpected "value"/],
    ['emails[type eq "work"].a.b', "invalidPath", 23, /sub-attribute name/],
    ["emails[type eq]", "invalidFilter", 14, /expected a value after "eq"/],
    ['emails[type eq "work"', "invalidFilter", 21, /"\]" to close/],
    ['name.givenName[type eq "x"]', "invalidFilter", 14, /not the sub-attribute/],
  ])("refuses %j with %s at %i", (text, scimType, position, message) => {
    const error = refusal(() => parseScimPath(text));
    expect(error.scimType).toBe(scimType);
    if (position >= 0) expect(error.position).toBe(position);
    expect(error.message).toMatch(/^The path /);
    expect(error.message).toMatch(message);
  });

  it("refuses NUL bytes and over-long paths", () => {
    expect(refusal(() => parseScimPath("emails\u0000")).message).toMatch(/NUL/);
    expect(refusal(() => parseScimPath(`a${"b".repeat(5000)}`)).message).toMatch(/longer than 4096/);
  });
});

describe("parseScimAttrPath (sortBy, attributes)", () => {
  it("reads one attribute path and names the parameter when refusing", () => {
    expect(parseScimAttrPath("meta.lastModified")).toEqual({ attr: "meta", sub: "lastmodified", text: "meta.lastModified" });
    expect(refusal(() => parseScimAttrPath("userName eq", "sortBy", "invalidValue"))).toMatchObject({
      scimType: "invalidValue",
      message: 'The sortBy is not valid at character 10: unexpected "eq" after the attribute name.',
    });
  });
});

describe("a character the lexer refuses outside any brackets", () => {
  it("is the path's shape (invalidPath), not a filter's; inside brackets it stays invalidFilter", () => {
    for (const text of ["_x", "__proto__.polluted", "name.$x"]) {
      expect(() => parseScimPath(text), text).toThrow(expect.objectContaining({ scimType: "invalidPath" }));
    }
    expect(() => parseScimPath('emails[type eq "work" $]')).toThrow(expect.objectContaining({ scimType: "invalidFilter" }));
  });
});
