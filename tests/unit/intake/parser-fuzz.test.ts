import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalOrderSchema } from "@/lib/intake/canonical-order";
import { checkHeaderClaims } from "@/lib/intake/check-header-claims";
import { hashCanonicalOrder } from "@/lib/intake/normalized-hash";
import type { ParseResult } from "@/lib/intake/parse-result";
import { intakeFormats, parsePayload, type IntakeFormat } from "@/lib/intake/parse-payload";
import { readFixture } from "./fixture";

// Property-based fuzzing: whatever bytes arrive, every parser answers a ParseResult and never throws.
// Mutations start from the real samples, so they reach deep into each format, not just its first check.

const csvSample = "PO,SKU,Qty,Price\n1,A,2,3.50\n1,B,1,1\n2,C,5,0.1\n";
const jsonSample = JSON.stringify({ documentNumber: "1", kind: "original", senders: [], lines: [{ lineNumber: "1", quantity: "1", unitPrice: "2" }], claims: {}, notes: [] });

const samples: Record<IntakeFormat, string> = {
  "x12-850": readFixture("x12-850/node-x12_850.edi").toString("utf8"),
  edifact: readFixture("edifact/pydifact_order_D96A_EAN008_no-UNZ.edi").toString("utf8"),
  cxml: readFixture("cxml/cxml-php_samples_OrderRequest.xml").toString("utf8"),
  ubl: readFixture("ubl/oasis_UBL-Order-2.1-Example.xml").toString("utf8"),
  shopify: readFixture("shopify/shopify_python_api_order.json").toString("utf8"),
  csv: csvSample,
  json: jsonSample,
};

const SEPARATORS = ["*", "~", "\n", "+", ":", "'", "?", ",", "<", ">", "/", '"', "{", "}", "[", "]", "&", "\u0000", "\uFEFF", ";"];

function parse(format: IntakeFormat, input: Buffer | string): ParseResult {
  return parsePayload(format, input, { csv: { mapping: { documentNumber: "PO", vendorPartNumber: "SKU", quantity: "Qty", unitPrice: "Price" } } });
}

/** The shape every answer must have; an order that comes out must satisfy the canonical schema. */
function assertWellFormed(result: ParseResult): void {
  if (!result.ok) {
    // "unexpected" is the catch-all for an exception a parser did not foresee: it must never be reached.
    expect(result.error.code).not.toBe("unexpected");
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(typeof result.error.location).toBe("string");
    return;
  }
  for (const document of result.documents) {
    expect(Boolean(document.order) !== Boolean(document.error)).toBe(true);
    if (document.order) {
      expect(canonicalOrderSchema.safeParse(document.order).success).toBe(true);
      expect(() => { hashCanonicalOrder(document.order!); checkHeaderClaims(document.order!); }).not.toThrow();
    }
    if (document.error) {
      expect(document.error.code).not.toBe("unexpected");
      expect(document.error.message.length).toBeGreaterThan(0);
    }
  }
}

const mutation = (sample: string) => fc.oneof(
  // Truncation anywhere.
  fc.nat({ max: sample.length }).map((n) => sample.slice(0, n)),
  // A separator replaced, inserted or deleted at a random place, several times.
  fc.array(fc.tuple(fc.nat({ max: sample.length }), fc.constantFrom(...SEPARATORS), fc.constantFrom("replace", "insert", "delete")), { minLength: 1, maxLength: 6 })
    .map((edits) => edits.reduce((text, [at, char, op]) => {
      const i = Math.min(at, text.length);
      if (op === "insert") return text.slice(0, i) + char + text.slice(i);
      if (op === "delete") return text.slice(0, i) + text.slice(i + 1);
      return text.slice(0, i) + char + text.slice(i + 1);
    }, sample)),
  // A random string spliced in (numbers become letters, dates become garbage).
  fc.tuple(fc.nat({ max: sample.length }), fc.string({ maxLength: 12 })).map(([at, junk]) => sample.slice(0, at) + junk + sample.slice(at + junk.length)),
);

describe("every parser, fuzzed", () => {
  for (const format of intakeFormats) {
    it(`${format}: random bytes never throw and always answer a ParseResult`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        assertWellFormed(parse(format, Buffer.from(bytes)));
      }), { numRuns: 200 });
    });

    it(`${format}: truncations and mutated separators of a real sample never throw`, () => {
      const sample = samples[format];
      expect(parse(format, sample).ok).toBe(true);
      fc.assert(fc.property(mutation(sample), (text) => {
        assertWellFormed(parse(format, text));
      }), { numRuns: 300 });
    });
  }
});
