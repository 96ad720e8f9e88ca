import { describe, expect, it } from "vitest";
import { checkHeaderClaims } from "@/lib/intake/check-header-claims";
import { parseCxml } from "@/lib/intake/parse-cxml";
import { parseUbl } from "@/lib/intake/parse-ubl";
import { documentError, messageError, onlyOrder, readFixture } from "./fixture";

// Expected values read by hand from tests/fixtures/intake/cxml and /ubl (see SOURCES.md).

const UBL_NS = 'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"';
const CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

describe("cXML OrderRequest", () => {
  it("reads the cxml-php sample: credentials for the channel, ship-to US, bill-to DE, line delivery dates, EUR, total as a claim", () => {
    const result = parseCxml(readFixture("cxml/cxml-php_samples_OrderRequest.xml"));
    const order = onlyOrder(result);
    expect(order).toEqual({
      documentNumber: "DO1234",
      kind: "original",
      senders: [{ scheme: "cxml-from", qualifier: "NetworkId", value: "inbound@prominate-platform.com" }],
      shipTo: {
        name: "Acme", identifiers: [],
        address: { lines: ["Joe Smith", "Mailstop M-543", "123 Anystreet"], city: "Sunnyvale", region: "CA", postalCode: "90489", country: "US" },
      },
      billTo: { name: "Zinc GmbH", identifiers: [], address: { lines: ["An den Eichen 18"], city: "Solingen", postalCode: "42699", country: "DE" } },
      orderDate: "2000-10-12",
      currency: "EUR",
      lines: [
        { lineNumber: "1", vendorPartNumber: "1233244", description: "hello from item 1", quantity: "10", unitOfMeasure: "EA", unitPrice: "2.10", requestedDelivery: { earliest: "2020-02-28", latest: "2020-02-28" } },
        { lineNumber: "2", vendorPartNumber: "1233245", description: "hello from item 2", quantity: "20", unitOfMeasure: "EA", unitPrice: "3.20", requestedDelivery: { earliest: "2020-02-28", latest: "2020-02-28" }, notes: ["Test comment"] },
      ],
      claims: { total: "85.00" },
      notes: [],
    });
    expect(checkHeaderClaims(order)).toEqual([]); // 10 × 2.10 + 20 × 3.20 = 85.00
    expect(result.ok && result.envelope).toMatchObject({
      deploymentMode: "test",
      controlNumbers: { payloadID: "1625586002.193314.7293@dev" },
      credentials: {
        from: [{ domain: "NetworkId", identity: "inbound@prominate-platform.com" }],
        to: [{ domain: "NetworkId", identity: "supplier@supplier.com" }],
        sender: [{ domain: "NetworkId", identity: "inbound@prominate-platform.com", sharedSecret: "coyote" }],
      },
    });
  });

  it('tells type="update" and type="delete" apart, decodes predefined entities, and names a bad attribute by XPath', () => {
    const doc = (type: string, qty = "1") => `<cXML><Request><OrderRequest><OrderRequestHeader orderID="A&amp;B" type="${type}"/><ItemOut quantity="${qty}"><ItemID><SupplierPartID>X&#49;</SupplierPartID></ItemID></ItemOut></OrderRequest></Request></cXML>`;
    expect(onlyOrder(parseCxml(doc("update")))).toMatchObject({ documentNumber: "A&B", kind: "update", lines: [{ vendorPartNumber: "X1" }] });
    expect(onlyOrder(parseCxml(doc("delete"))).kind).toBe("cancel");
    expect(documentError(parseCxml(doc("new", "abc")))).toEqual({
      code: "invalid-number",
      location: "/cXML/Request[1]/OrderRequest[1]/ItemOut[1]/@quantity",
      message: '/cXML/Request[1]/OrderRequest[1]/ItemOut[1]/@quantity: quantity "abc" is not a number',
    });
    expect(documentError(parseCxml(doc("confirm")))).toMatchObject({ code: "unsupported" });
  });

  it("refuses the billion laughs, an external entity and an internal DTD subset; never fetches the cXML DTD", () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><cXML>&c;</cXML>`;
    expect(messageError(parseCxml(laughs))).toMatchObject({ code: "doctype" });
    const external = `<?xml version="1.0"?><!DOCTYPE cXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><cXML><Request><OrderRequest><OrderRequestHeader orderID="&xxe;"/></OrderRequest></Request></cXML>`;
    expect(messageError(parseCxml(external))).toMatchObject({ code: "doctype" });
    const parameter = `<!DOCTYPE cXML SYSTEM "http://example.invalid/x.dtd" [<!ENTITY % p SYSTEM "http://example.invalid/p">%p;]><cXML/>`;
    expect(messageError(parseCxml(parameter))).toMatchObject({ code: "doctype" });
    const undeclared = `<cXML><Request><OrderRequest><OrderRequestHeader orderID="&xxe;"/><ItemOut quantity="1"/></OrderRequest></Request></cXML>`;
    // An entity nobody declared stays literal text: nothing is looked up.
    expect(onlyOrder(parseCxml(undeclared)).documentNumber).toBe("&xxe;");
  });

  it("refuses prototype keys as element or attribute names, and pollutes nothing", () => {
    const hostile = '<cXML __proto__="x"><constructor/><Request><OrderRequest><OrderRequestHeader orderID="1"/><ItemOut quantity="1"/></OrderRequest></Request></cXML>';
    expect(messageError(parseCxml(hostile))).toMatchObject({ code: "syntax" });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("bounds nesting and refuses malformed XML with a line and column", () => {
    const deep = `<cXML>${"<a>".repeat(200)}${"</a>".repeat(200)}</cXML>`;
    expect(messageError(parseCxml(deep)).code).toMatch(/too-deep|syntax/);
    expect(messageError(parseCxml("<cXML><Request></cXML>"))).toMatchObject({ code: "syntax", location: expect.stringMatching(/^line \d+, column \d+$/) });
    expect(messageError(parseCxml("<Order/>"))).toMatchObject({ code: "unsupported" });
    expect(messageError(parseCxml("<cXML/>", { maxBytes: 3 }))).toMatchObject({ code: "too-large" });
  });
});

describe("UBL 2.1 / Peppol BIS Order", () => {
  it("reads the OASIS example: parties by GLN and endpoint, delivery window, LTR/C62, seller item id and GTIN, claims", () => {
    const result = parseUbl(readFixture("ubl/oasis_UBL-Order-2.1-Example.xml"));
    const order = onlyOrder(result);
    expect(order).toEqual({
      documentNumber: "34",
      kind: "original",
      senders: [{ scheme: "peppol-endpoint", qualifier: "GLN", value: "7300072311115" }],
      buyer: {
        name: "Johnssons byggvaror",
        identifiers: [
          { scheme: "peppol-endpoint", qualifier: "GLN", value: "7300072311115" },
          { scheme: "gln", value: "7300070011115" },
          { scheme: "ubl", value: "PartyID123" },
        ],
        address: { lines: ["PoBox123", "Rådhusgatan 5", "2nd floor", "Purchasing department"], city: "Stockholm", region: "RegionX", postalCode: "11000", country: "SE" },
      },
      seller: {
        name: "Moderna Produkter AB",
        identifiers: [{ scheme: "peppol-endpoint", qualifier: "GLN", value: "7302347231111" }, { scheme: "ubl", value: "SellerPartyID123" }],
        address: { lines: ["321", "Kungsgatan 22", "suite12", "Sales department"], city: "Stockholm", region: "RegionX", postalCode: "11000", country: "SE" },
      },
      shipTo: {
        name: "Swedish trucking",
        identifiers: [{ scheme: "gln", value: "1234567890123" }],
        address: { lines: ["123", "Rådhusgatan 5", "2nd floor", "Purchasing department"], city: "Stockholm", region: "RegionX", postalCode: "11000", country: "SE" },
      },
      orderDate: "2010-01-20",
      requestedDelivery: { earliest: "2010-02-10", latest: "2010-02-25" },
      currency: "SEK",
      lines: [
        {
          lineNumber: "1", vendorPartNumber: "SItemNo001", gtin: "1234567890123", description: "Falu Rödfärg: Red paint",
          quantity: "120", unitOfMeasure: "LTR", unitPrice: "50", priceBasisQuantity: "1", claimedLineTotal: "6000",
          requestedDelivery: { earliest: "2010-02-10", latest: "2010-02-25" }, notes: ["Freetext note on line 1"],
        },
        {
          lineNumber: "2", vendorPartNumber: "SItemNo011", gtin: "123452340123", description: "Pensel 20 mm: Very good pencils for red paint.",
          quantity: "15", unitOfMeasure: "C62", unitPrice: "15", priceBasisQuantity: "1", claimedLineTotal: "225",
          requestedDelivery: { earliest: "2010-02-10", latest: "2010-02-25" }, notes: ["Freetext note on line 2"],
        },
      ],
      claims: { total: "6225" },
      notes: ["Information text for the whole order"],
    });
    expect(checkHeaderClaims(order)).toEqual([]);
  });

  it("matches by namespace URI, not by prefix", () => {
    const body = (cac: string, cbc: string) => `<o:Order xmlns:o="urn:oasis:names:specification:ubl:schema:xsd:Order-2" xmlns:${cac}="${CAC}" xmlns:${cbc}="${CBC}"><${cbc}:ID>9</${cbc}:ID><${cac}:OrderLine><${cac}:LineItem><${cbc}:ID>1</${cbc}:ID><${cbc}:Quantity unitCode="EA">2</${cbc}:Quantity></${cac}:LineItem></${cac}:OrderLine></o:Order>`;
    expect(onlyOrder(parseUbl(body("x", "y")))).toMatchObject({ documentNumber: "9", lines: [{ quantity: "2", unitOfMeasure: "EA" }] });
    // The usual prefixes bound to the wrong namespaces are not UBL elements: the line is not found.
    const swapped = body("cbc", "cac").replace(`xmlns:cbc="${CAC}" xmlns:cac="${CBC}"`, `xmlns:cbc="urn:other" xmlns:cac="urn:other2"`);
    expect(documentError(parseUbl(swapped))).toMatchObject({ code: "missing" });
    expect(messageError(parseUbl(`<Order xmlns="urn:not-ubl"/>`))).toMatchObject({ code: "unsupported" });
  });

  it("refuses any DOCTYPE, and names a bad value by XPath", () => {
    expect(messageError(parseUbl(`<!DOCTYPE Order SYSTEM "x.dtd"><Order ${UBL_NS}/>`))).toMatchObject({ code: "doctype" });
    const badPrice = `<Order ${UBL_NS} xmlns:cac="${CAC}" xmlns:cbc="${CBC}"><cbc:ID>1</cbc:ID><cac:OrderLine><cac:LineItem><cbc:ID>1</cbc:ID><cbc:Quantity>1</cbc:Quantity><cac:Price><cbc:PriceAmount>1,5</cbc:PriceAmount></cac:Price></cac:LineItem></cac:OrderLine></Order>`;
    expect(documentError(parseUbl(badPrice))).toMatchObject({
      code: "invalid-number", location: "/Order/cac:OrderLine[1]/cac:LineItem[1]/cac:Price[1]/cbc:PriceAmount[1]",
    });
  });
});
