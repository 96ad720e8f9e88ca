import { describe, expect, it } from "vitest";
import { cursorInstant, decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { NotFoundError, ValidationError } from "@/lib/core/errors";
import { findInputProblems, instantProblem, instantSchema, MAX_INPUT_DEPTH, parseIdParam, parseIsoInstant, readQueryMap } from "@/lib/core/input-rules";

/** The shared boundary rules themselves (lib/core/input-rules.ts); the probe shows them at every route. */
const CHECKLIST = "No input reaches a 5xx: NUL bytes, lone surrogates, __proto__/constructor keys, dates outside the range that PostgreSQL and JavaScript hold, forged cursors";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe(`${CHECKLIST}: the instant rule`, () => {
  it.each([
    ["2026-05-01", "2026-05-01T00:00:00.000Z"],
    ["2026-05-01T09:30", "2026-05-01T09:30:00.000Z"],
    ["2026-05-01 09:30:15.5z", "2026-05-01T09:30:15.500Z"],
    ["2026-05-01T11:30:15+02:00", "2026-05-01T09:30:15.000Z"],
    ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
    ["2028-02-29", "2028-02-29T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ["0000-01-01", "must be between 1970-01-01 and 9999-12-31 (UTC)"],
    ["0050-06-01", "must be between 1970-01-01 and 9999-12-31 (UTC)"],
    ["1969-12-31T23:59:59.999Z", "must be between 1970-01-01 and 9999-12-31 (UTC)"],
    ["9999-12-31T23:59:59-14:00", "must be between 1970-01-01 and 9999-12-31 (UTC)"],
    ["2026-02-31", "is not a real date or time"],
    ["2027-02-29", "is not a real date or time"],
    ["2026-05-01T24:00", "is not a real date or time"],
    ["2026-05-01T09:60", "is not a real date or time"],
    ["2026-05-01T09:30+99:00", "is not a real date or time"],
    ["+275760-09-13T00:00:00.000Z", expect.stringMatching(/^must be an ISO 8601 date/)],
    ["May 1, 2026", expect.stringMatching(/^must be an ISO 8601 date/)],
    ["2026-05-01T09:30:15.1234Z", expect.stringMatching(/^must be an ISO 8601 date/)],
  ])("%s is refused: %s", (text, reason) => {
    expect(parseIsoInstant(text)).toBeNull();
    expect(instantProblem(text)).toEqual(reason);
  });

  it("the body schema takes ISO text or a Date in range, and refuses numbers, Dates out of range and invalid Dates", () => {
    expect(instantSchema.parse("2026-05-01T09:30:00Z")).toEqual(new Date("2026-05-01T09:30:00Z"));
    expect(instantSchema.parse(new Date("2026-05-01T09:30:00Z"))).toEqual(new Date("2026-05-01T09:30:00Z"));
    for (const bad of [1e20, 0, new Date("0000-01-01T00:00:00Z"), new Date(8.64e15), new Date(Number.NaN), "x".repeat(41), null]) expect(instantSchema.safeParse(bad).success, String(bad)).toBe(false);
  });
});

describe(`${CHECKLIST}: the deep scan`, () => {
  it("names each bad string, key and reserved name by its path", () => {
    const input = JSON.parse('{"a": "x\\u0000", "b": ["ok", "\\ud800"], "__proto__": {"p": 1}, "c": {"constructor": 1, "prototype": 2}, "d\\u0000": 1, "\\udfff": 2, "e": "\\ud83d\\ude00 fine"}');
    // Entries, not an object literal: in a literal, `__proto__:` would set the prototype.
    expect(Object.entries(findInputProblems(input))).toEqual([
      ["a", ["must not contain NUL characters (\\u0000)"]],
      ["b.1", ["must be well-formed Unicode text (it holds a lone surrogate)"]],
      ["__proto__", ["is a reserved name and cannot be used as a field"]],
      ["c.constructor", ["is a reserved name and cannot be used as a field"]],
      ["c.prototype", ["is a reserved name and cannot be used as a field"]],
      ["d\\u0000", ["has a name that must not contain NUL characters (\\u0000)"]],
      ["\\udfff", ["has a name that must be well-formed Unicode text (it holds a lone surrogate)"]],
    ]);
  });

  it("stops at MAX_INPUT_DEPTH instead of overflowing the stack, and reports at most 20 fields", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(Object.values(findInputProblems(deep))).toEqual([[`is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`]]);
    expect(Object.keys(findInputProblems(Array.from({ length: 500 }, () => "\u0000")))).toHaveLength(20);
  });

  it("a Date or a class instance is the caller's own value and is not walked; a whole string input is named 'input'", () => {
    class Holder {
      constructor(readonly text = "\u0000") {}
    }
    expect({ ...findInputProblems({ at: new Date(), holder: new Holder() }) }).toEqual({});
    expect(Object.keys(findInputProblems("\u0000"))).toEqual(["input"]);
  });
});

describe(`${CHECKLIST}: ids, query maps and cursors`, () => {
  it("a path id is a uuid (lower-cased) or not found", () => {
    expect(parseIdParam("6F1C1C1E-8A43-4D6B-9A55-0C8F3B1F2A10", "Order")).toBe("6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10");
    for (const bad of ["", "constructor", "%zz", "6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a1", "6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10\u0000", undefined]) expect(() => parseIdParam(bad, "Order")).toThrow(NotFoundError);
  });

  it("a query map has no prototype: Object.prototype names are plain keys, reserved ones refused by name", () => {
    const { values, repeated } = readQueryMap(new URLSearchParams("toString=1&hasOwnProperty=2&a=&a=3"));
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect({ ...values }).toEqual({ toString: "1", hasOwnProperty: "2", a: "3" });
    expect(repeated).toEqual(["a"]);
    const error = (() => {
      try {
        readQueryMap(new URLSearchParams("__proto__=1&constructor=2&q=%00"));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors).sort()).toEqual(["__proto__", "constructor", "q"]);
  });

  it("a cursor's date is accepted only as the server writes it, and a cursor holding NUL is not one of ours", () => {
    expect(cursorInstant("2026-05-01T09:30:00.000Z", "cursor")).toEqual(new Date("2026-05-01T09:30:00.000Z"));
    for (const forged of ["0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "2026-02-31T00:00:00.000Z", "2026-05-01T09:30:00Z", 1_777_000_000_000]) {
      expect(() => cursorInstant(forged, "cursor"), String(forged)).toThrow(ValidationError);
    }
    const id = "6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10";
    expect(decodeCursor(encodeCursor("number", "desc", "PO-1", id), { sort: "number", dir: "desc", field: "cursor" })).toEqual({ value: "PO-1", id });
    expect(() => decodeCursor(b64(["number", "desc", "a\u0000b", id]), { sort: "number", dir: "desc", field: "cursor" })).toThrow(ValidationError);
  });
});
