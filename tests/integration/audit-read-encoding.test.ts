import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffMetadata } from "@/lib/audit/diff-metadata";
import { encodeControlChars, toCsvField, toJsonLine } from "@/lib/audit/encode-control-chars";
import { parseUtcDateTime } from "@/lib/audit/schemas";

const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// Strings full of the characters that matter, not only printable ASCII.
const nasty = fc.string({ unit: fc.oneof(fc.constantFrom("\r", "\n", "\t", "\u0000", "\u0007", "\u001b", "\u0085", "\u009b", "\u2028", "\u2029", "\u202e", '"', ",", "=", "\\"), fc.string({ unit: "binary", maxLength: 1 })) });

describe("Encode CR/LF and control characters", () => {
  it("renders each unsafe character as a visible escape", () => {
    expect(encodeControlChars("a\r\nb\tc\u0007d\u0085e\u2028f\u202eg")).toBe("a\\r\\nb\\tc\\u0007d\\u0085e\\u2028f\\u202eg");
    expect(encodeControlChars("plain ünïcödé 😀")).toBe("plain ünïcödé 😀");
  });

  it("never leaves an unsafe character, whatever the input", () => {
    fc.assert(fc.property(nasty, (s) => !unsafe.test(encodeControlChars(s))));
  });

  it("a JSON line is one physical line that parses back to the exact value", () => {
    fc.assert(
      fc.property(fc.dictionary(nasty, fc.oneof(nasty, fc.integer(), fc.constant(null))), (value) => {
        const line = toJsonLine(value);
        expect(line.indexOf("\n")).toBe(line.length - 1);
        expect(unsafe.test(line.slice(0, -1))).toBe(false);
        expect(JSON.parse(line)).toEqual(value);
      }),
    );
  });

  it("a CSV field is quoted per RFC 4180 and holds no line break", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const field = toCsvField(s);
        expect(field.startsWith('"') && field.endsWith('"')).toBe(true);
        expect(field.slice(1, -1).replace(/""/g, "")).not.toContain('"');
        expect(unsafe.test(field)).toBe(false);
      }),
    );
    expect(toCsvField(null)).toBe("");
    expect(toCsvField(42)).toBe("42");
    expect(toCsvField('=1+1')).toBe(`"'=1+1"`);
    expect(toCsvField("a,b")).toBe('"a,b"');
  });
});

describe("filter times", () => {
  it.each([
    ["2026-05-01", "2026-05-01T00:00:00.000Z"],
    ["2026-05-01T09:30", "2026-05-01T09:30:00.000Z"],
    ["2026-05-01T09:30:15.5Z", "2026-05-01T09:30:15.500Z"],
    ["2026-05-01T11:30:15+02:00", "2026-05-01T09:30:15.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(parseUtcDateTime(text)?.toISOString()).toBe(iso);
  });

  it.each(["2026-02-30", "2026-13-01", "2026-05-01T24:00", "01/05/2026", "2026-05-01T09:30:15.1234Z", ""])("%s is refused", (text) => {
    expect(parseUtcDateTime(text)).toBeNull();
  });
});

describe("the before/after diff of an event's metadata", () => {
  it("lists changed, added, removed and unchanged keys, and the rest apart", () => {
    const view = diffMetadata({ before: { name: "Old", parentId: null, tags: ["a"] }, after: { name: "New", parentId: null, owner: "x" }, reason: "rename" });
    expect(view.changes).toEqual([
      { key: "name", kind: "changed", before: "Old", after: "New" },
      { key: "owner", kind: "added", before: null, after: "x" },
      { key: "parentId", kind: "unchanged", before: "null", after: "null" },
      { key: "tags", kind: "removed", before: '["a"]', after: null },
    ]);
    expect(view.other).toEqual([{ key: "reason", value: "rename" }]);
  });

  it("treats a creation as all added, and metadata without before/after as no change", () => {
    expect(diffMetadata({ after: { email: "a@b.test" } }).changes).toEqual([{ key: "email", kind: "added", before: null, after: "a@b.test" }]);
    expect(diffMetadata({ prefix: "cs_abc" })).toEqual({ changes: null, other: [{ key: "prefix", value: "cs_abc" }] });
    expect(diffMetadata({ before: 1, after: 2 }).changes).toEqual([{ key: "(value)", kind: "changed", before: "1", after: "2" }]);
  });
});
