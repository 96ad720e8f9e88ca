import { describe, expect, it } from "vitest";
import { checkHeaderClaims } from "@/lib/intake/check-header-claims";
import { parseCsv, type CsvMapping } from "@/lib/intake/parse-csv";
import { parseJson } from "@/lib/intake/parse-json";
import { parseShopify } from "@/lib/intake/parse-shopify";
import { documentError, messageError, onlyOrder, readFixture } from "./fixture";

// Expected values read by hand from tests/fixtures/intake/shopify (see SOURCES.md).

const bob = { lines: ["Chestnut Street 92"], city: "Louisville", region: "KY", postalCode: "40202", country: "US" };
const ipod = (n: string, colour: string, sku: string, lineItem: string, variant: string) => ({
  lineNumber: n, vendorPartNumber: sku, description: `IPod Nano - 8gb - ${colour}`, quantity: "1", unitPrice: "199.00",
  itemIds: [{ scheme: "shopify-line-item", value: lineItem }, { scheme: "shopify-variant", value: variant }, { scheme: "shopify-product", value: "632910392" }],
});

describe("Shopify orders/create", () => {
  it("reads the shopify_python_api order wrapped as { order }, and flags its header total that the lines do not make", () => {
    const order = onlyOrder(parseShopify(readFixture("shopify/shopify_python_api_order.json"), { shopDomain: "example.myshopify.com", topic: "orders/create" }));
    expect(order).toEqual({
      documentNumber: "450789469",
      kind: "original",
      reference: "#1001",
      senders: [{ scheme: "shopify-shop", value: "example.myshopify.com" }, { scheme: "shopify-customer", value: "207119551" }],
      buyer: { name: "Bob Norman", identifiers: [{ scheme: "shopify-customer", value: "207119551" }], address: bob },
      billTo: { name: "Bob Norman", identifiers: [], address: bob },
      shipTo: { name: "Bob Norman", identifiers: [], address: bob },
      orderDate: "2008-01-10",
      currency: "USD",
      lines: [
        ipod("1", "green", "IPOD2008GREEN", "466157049", "39072856"),
        ipod("2", "red", "IPOD2008RED", "518995019", "49148385"),
        ipod("3", "black", "IPOD2008BLACK", "703073504", "457924702"),
      ],
      claims: { total: "398.00" },
      notes: ["custom engraving: Happy Birthday", "colour: green"],
    });
    // total_line_items_price says 398.00; three lines at 199.00 make 597. A flag, not a silent fix.
    expect(checkHeaderClaims(order)).toEqual([expect.objectContaining({ code: "count-mismatch", location: "claims.total", claimed: "398.00", computed: "597" })]);
  });

  it("reads an unwrapped webhook body, keeps ids beyond 2^53 exact, and takes the kind from the topic", () => {
    const body = '{"id": 98765432109876543210, "created_at": "2024-03-01T10:00:00Z", "currency": "eur", "customer": {"id": 12345678901234567890}, "line_items": [{"id": 9007199254740993, "sku": "A", "quantity": 2, "price": "1.10"}]}';
    const order = onlyOrder(parseShopify(body, { topic: "orders/updated" }));
    expect(order).toMatchObject({
      documentNumber: "98765432109876543210", kind: "update", currency: "EUR",
      senders: [{ scheme: "shopify-customer", value: "12345678901234567890" }],
      lines: [{ quantity: "2", unitPrice: "1.10", itemIds: [{ scheme: "shopify-line-item", value: "9007199254740993" }] }],
    });
    expect(messageError(parseShopify(body, { topic: "products/create" }))).toMatchObject({ code: "unsupported" });
  });

  it("names a bad field by JSON pointer, under /order when wrapped", () => {
    const wrapped = '{"order": {"id": 1, "line_items": [{"quantity": 1, "price": "1"}, {"quantity": 1, "price": "abc"}]}}';
    expect(documentError(parseShopify(wrapped))).toEqual({ code: "invalid-number", location: "/order/line_items/1/price", message: '/order/line_items/1/price: price "abc" is not a number' });
    expect(documentError(parseShopify('{"id": 1, "line_items": [{"quantity": "lots"}]}'))).toMatchObject({ location: "/line_items/0/quantity" });
    expect(messageError(parseShopify("[1,2]"))).toMatchObject({ code: "syntax" });
    expect(messageError(parseShopify('{"id": 1,'))).toMatchObject({ code: "syntax" });
    expect(messageError(parseShopify("[".repeat(10_000)))).toMatchObject({ code: "too-deep" });
  });
});

const canonical = {
  documentNumber: "0042", kind: "original", senders: [{ scheme: "api", value: "buyer-7" }],
  lines: [{ lineNumber: "1", vendorPartNumber: "SKU-1", quantity: "2", unitPrice: "3.50" }], claims: { total: "7.00" }, notes: [],
};

describe("json (the canonical order)", () => {
  it("accepts the canonical order as is, one or an array, and JSON numbers as their exact digits", () => {
    expect(onlyOrder(parseJson(JSON.stringify(canonical)))).toEqual(canonical);
    const asNumbers = JSON.stringify(canonical).replace('"quantity":"2"', '"quantity":2.50').replace('"unitPrice":"3.50"', '"unitPrice":12345678901234567890.10');
    expect(onlyOrder(parseJson(asNumbers)).lines[0]).toMatchObject({ quantity: "2.50", unitPrice: "12345678901234567890.10" });
    const many = parseJson(JSON.stringify([canonical, { ...canonical, documentNumber: "" }]));
    expect(many.ok && many.documents.map((d) => d.error?.location ?? d.order?.documentNumber)).toEqual(["0042", "/1 /documentNumber"]);
  });

  it("fills the empty lists of a minimal order", () => {
    const minimal = { documentNumber: "7", kind: "cancel", lines: [{ lineNumber: "1", quantity: "1" }] };
    expect(onlyOrder(parseJson(JSON.stringify(minimal)))).toEqual({ ...minimal, senders: [], claims: {}, notes: [] });
  });

  it("says in plain words what is wrong: unknown keys (__proto__ too), missing fields, bad decimals and dates", () => {
    const withProto = `{"__proto__": {"admin": true}, ${JSON.stringify(canonical).slice(1)}`;
    expect(documentError(parseJson(withProto))).toMatchObject({ code: "schema", location: "/", message: '/: "__proto__" is not a field of the order; remove it' });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    const noLines: Record<string, unknown> = { ...canonical };
    delete noLines.lines;
    expect(documentError(parseJson(JSON.stringify(noLines)))).toMatchObject({ location: "/lines", message: "/lines: lines is required" });
    const badQty = { ...canonical, lines: [{ lineNumber: "1", quantity: "1,5" }] };
    expect(documentError(parseJson(JSON.stringify(badQty)))?.message).toBe("/lines/0/quantity: quantity must be a decimal number like 12.50 (a point, no thousands separators)");
    expect(documentError(parseJson(JSON.stringify({ ...canonical, orderDate: "2024-02-30" })))?.message).toBe("/orderDate: order date is not a real calendar date between 1900 and 2999");
    expect(documentError(parseJson(JSON.stringify({ ...canonical, orderDate: "9999-01-01" })))?.location).toBe("/orderDate");
    expect(documentError(parseJson(JSON.stringify({ ...canonical, documentNumber: "a\u0000b" })))?.message).toContain("NUL");
    expect(messageError(parseJson("[]"))).toMatchObject({ code: "empty" });
    expect(messageError(parseJson(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))).toMatchObject({ code: "encoding", message: "the payload is not UTF-8 text; send it encoded as UTF-8" });
    expect(messageError(parseJson("x".repeat(100), { maxBytes: 50 }))).toMatchObject({ code: "too-large" });
  });
});

const mapping: CsvMapping = { documentNumber: "PO Number", lineNumber: "Line", vendorPartNumber: "SKU", quantity: "Qty", unitPrice: "Unit Price", currency: "Currency", orderDate: "Date" };

describe("csv with a column mapping", () => {
  it("groups rows by PO number: several POs in one file are several documents, in the order they appear", () => {
    const csv = "PO Number,Line,SKU,Qty,Unit Price,Currency,Date\r\n0017,1,A-1,2,3.50,EUR,2024-05-01\r\n0018,1,B-1,1,10,EUR,2024-05-02\r\n0017,2,\"A,2\",5,,EUR,2024-05-01\r\n";
    const result = parseCsv(csv, { mapping });
    expect(result.ok && result.documents.map((d) => d.order)).toEqual([
      {
        documentNumber: "0017", kind: "original", senders: [], currency: "EUR", orderDate: "2024-05-01", claims: {}, notes: [],
        lines: [{ lineNumber: "1", vendorPartNumber: "A-1", quantity: "2", unitPrice: "3.50" }, { lineNumber: "2", vendorPartNumber: "A,2", quantity: "5" }],
      },
      { documentNumber: "0018", kind: "original", senders: [], currency: "EUR", orderDate: "2024-05-02", claims: {}, notes: [], lines: [{ lineNumber: "1", vendorPartNumber: "B-1", quantity: "1", unitPrice: "10" }] },
    ]);
  });

  it("names the row and column of a bad cell, and refuses a PO whose rows disagree on a header field", () => {
    const csv = "PO Number,Line,SKU,Qty,Unit Price,Currency,Date\n1,1,A,2,abc,EUR,2024-05-01\n2,1,A,1,1,EUR,2024-05-01\n2,2,B,1,1,USD,2024-05-01\n";
    const result = parseCsv(csv, { mapping });
    expect(result.ok && result.documents.map((d) => d.error?.message)).toEqual([
      'row 2, column "Unit Price": unit price "abc" is not a number',
      'row 4, column "Currency": "USD" differs from "EUR" on row 3 of the same PO',
    ]);
    expect(messageError(parseCsv("PO,Qty\n1,1\n", { mapping }))).toMatchObject({ code: "missing", location: "row 1" });
    expect(messageError(parseCsv("PO Number,Line,SKU,Qty,Unit Price,Currency,Date\n1,1\n", { mapping }))).toMatchObject({ code: "syntax", location: "row 2" });
    expect(messageError(parseCsv("PO Number,Line,SKU,Qty,Unit Price,Currency,Date\n,1,A,1,1,EUR,2024-05-01\n", { mapping }))).toMatchObject({ location: 'row 2, column "PO Number"' });
  });

  it("reads a semicolon file with comma decimals when the channel says so", () => {
    const csv = "PO Number;Line;SKU;Qty;Unit Price;Currency;Date\n7;1;A;1,5;2,25;EUR;2024-05-01\n";
    expect(onlyOrder(parseCsv(csv, { mapping, delimiter: ";", decimalComma: true })).lines[0]).toMatchObject({ quantity: "1.5", unitPrice: "2.25" });
  });
});
