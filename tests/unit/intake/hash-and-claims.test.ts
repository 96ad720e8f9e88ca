import { describe, expect, it } from "vitest";
import { z } from "zod";
import { canonicalOrderSchema, type CanonicalOrder } from "@/lib/intake/canonical-order";
import { checkHeaderClaims } from "@/lib/intake/check-header-claims";
import { hashCanonicalOrder } from "@/lib/intake/normalized-hash";
import { parseCxml } from "@/lib/intake/parse-cxml";
import { parseJson } from "@/lib/intake/parse-json";
import { parseX12850 } from "@/lib/intake/parse-x12-850";
import { onlyOrder, readFixture } from "./fixture";

const order: CanonicalOrder = {
  documentNumber: "PO-1", kind: "original", senders: [{ scheme: "x12-isa", qualifier: "ZZ", value: "0001" }],
  currency: "EUR", lines: [{ lineNumber: "1", vendorPartNumber: "A", quantity: "2", unitPrice: "1.50" }, { lineNumber: "2", vendorPartNumber: "B", quantity: "1", unitPrice: "0.25" }],
  claims: { total: "3.25", lineCount: "2" }, notes: ["Leave at  the dock"],
};

describe("the normalised content hash", () => {
  it("is the same for the X12 sample with ~ and with newline terminators (and other control numbers)", () => {
    const tilde = onlyOrder(parseX12850(readFixture("x12-850/node-x12_850.edi")));
    const newline = readFixture("x12-850/node-x12_850_2_newline-terminated.edi").toString("utf8").replaceAll("000003438", "000009999").replaceAll("000000010", "000000077");
    expect(hashCanonicalOrder(onlyOrder(parseX12850(newline)))).toBe(hashCanonicalOrder(tilde));
  });

  it("is the same for the cXML sample re-indented, with a new payloadID", () => {
    const text = readFixture("cxml/cxml-php_samples_OrderRequest.xml").toString("utf8");
    const reformatted = text.replace(/\n\s+/g, "\n").replace('payloadID="1625586002.193314.7293@dev"', 'payloadID="other@dev"');
    expect(hashCanonicalOrder(onlyOrder(parseCxml(reformatted)))).toBe(hashCanonicalOrder(onlyOrder(parseCxml(text))));
  });

  it("ignores key order, whitespace, trailing zeros and empty optional values", () => {
    const shuffled = JSON.parse(JSON.stringify({ notes: [" Leave at the   dock "], claims: { lineCount: "2", total: "3.250" }, lines: order.lines.map((l) => ({ unitPrice: l.unitPrice + "0", quantity: l.quantity, vendorPartNumber: ` ${l.vendorPartNumber}`, lineNumber: l.lineNumber })), currency: "EUR", kind: "original", senders: order.senders, documentNumber: "PO-1" })) as CanonicalOrder;
    expect(hashCanonicalOrder(onlyOrder(parseJson(JSON.stringify(shuffled))))).toBe(hashCanonicalOrder(order));
    expect(hashCanonicalOrder({ ...order, buyer: { identifiers: [] } })).toBe(hashCanonicalOrder(order));
  });

  it("differs when the order changes, and tells an update from the original", () => {
    const base = hashCanonicalOrder(order);
    expect(hashCanonicalOrder({ ...order, kind: "update" })).not.toBe(base);
    expect(hashCanonicalOrder({ ...order, lines: [{ ...order.lines[0]!, quantity: "3" }, order.lines[1]!] })).not.toBe(base);
    // Identifiers keep their leading zeros.
    expect(hashCanonicalOrder({ ...order, senders: [{ scheme: "x12-isa", qualifier: "ZZ", value: "1" }] })).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("header claims", () => {
  it("flags a total, a line count, a quantity total and a line amount that the lines do not make, exactly", () => {
    expect(checkHeaderClaims(order)).toEqual([]);
    const wrong: CanonicalOrder = {
      ...order,
      lines: [{ ...order.lines[0]!, claimedLineTotal: "3.01" }, order.lines[1]!],
      claims: { total: "3.26", lineCount: "3", quantityTotal: "4" },
    };
    expect(checkHeaderClaims(wrong).map((f) => [f.location, f.claimed, f.computed])).toEqual([
      ["claims.lineCount", "3", "2"],
      ["claims.quantityTotal", "4", "3"],
      ["lines.0.claimedLineTotal", "3.01", "3"],
      ["claims.total", "3.26", "3.25"],
    ]);
  });

  it("sums without float error and honours a price basis quantity", () => {
    const tenths: CanonicalOrder = { ...order, lines: [{ lineNumber: "1", quantity: "1", unitPrice: "0.1" }, { lineNumber: "2", quantity: "1", unitPrice: "0.2" }], claims: { total: "0.3" } };
    expect(checkHeaderClaims(tenths)).toEqual([]);
    const perHundred: CanonicalOrder = { ...order, lines: [{ lineNumber: "1", quantity: "250", unitPrice: "12", priceBasisQuantity: "100" }], claims: { total: "30" } };
    expect(checkHeaderClaims(perHundred)).toEqual([]);
  });

  it("says when a total cannot be checked because a line has no price", () => {
    const unpriced: CanonicalOrder = { ...order, lines: [{ lineNumber: "1", quantity: "1" }], claims: { total: "5" } };
    expect(checkHeaderClaims(unpriced)).toEqual([expect.objectContaining({ code: "missing", location: "claims.total" })]);
  });
});

describe("the canonical order as a documented schema", () => {
  it("turns into JSON Schema with its descriptions, for the OpenAPI document later", () => {
    const schema = z.toJSONSchema(canonicalOrderSchema, { io: "input", unrepresentable: "any" }) as {
      required: string[]; additionalProperties: boolean; properties: Record<string, { description?: string; enum?: string[] }>;
    };
    expect(schema.required).toEqual(["documentNumber", "kind", "lines"]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.kind!.enum).toEqual(["original", "update", "cancel"]);
    expect(schema.properties.documentNumber!.description).toContain("PO number");
  });
});
