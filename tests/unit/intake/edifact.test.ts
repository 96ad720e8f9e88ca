import { describe, expect, it } from "vitest";
import { checkHeaderClaims } from "@/lib/intake/check-header-claims";
import { parseEdifact } from "@/lib/intake/parse-edifact";
import { documentError, messageError, onlyOrder, readFixture } from "./fixture";

// Expected values read by hand from tests/fixtures/intake/edifact (see SOURCES.md).

function interchange(messages: string[][], options: { una?: string; unz?: string | null } = {}): string {
  const body = messages.map((segments, i) => [`UNH+${i + 1}+ORDERS:D:96A:UN:EAN008`, ...segments, `UNT+${segments.length + 2}+${i + 1}`].map((s) => `${s}'`).join("")).join("");
  const unz = options.unz === null ? "" : `UNZ+${options.unz ?? messages.length}+42'`;
  return `${options.una ?? "UNA:+.? '"}UNB+UNOC:3+5412345000013:14+5400000000001:14+200101:1200+42'${body}${unz}`;
}

describe("EDIFACT ORDERS", () => {
  it("reads the pydifact EANCOM D96A order: NAD by GLN, LIN EAN, QTY+21, DTM 203, the missing UNZ flagged", () => {
    const result = parseEdifact(readFixture("edifact/pydifact_order_D96A_EAN008_no-UNZ.edi"));
    expect(onlyOrder(result)).toEqual({
      documentNumber: "801715918011",
      kind: "original",
      senders: [{ scheme: "edifact-unb", qualifier: "8", value: "12345678" }],
      seller: { identifiers: [{ scheme: "gln", value: "5020436000004" }] },
      buyer: { identifiers: [{ scheme: "gln", value: "8711576000012" }] },
      shipTo: { identifiers: [{ scheme: "gln", value: "8711576100019" }] },
      orderDate: "2015-08-03",
      requestedDelivery: { earliest: "2015-08-06", latest: "2015-08-06" },
      lines: [
        { lineNumber: "1", gtin: "5020436373085", quantity: "8" },
        { lineNumber: "2", gtin: "5020436373108", quantity: "8" },
      ],
      claims: {},
      notes: [],
    });
    expect(result.ok && result.envelope).toMatchObject({
      receivers: [{ scheme: "edifact-unb", qualifier: "ZZ", value: "WBDZDD" }],
      controlNumbers: { unb05: "807", "unh01[1]": "1" },
      decimalMark: ",",
      flags: [expect.objectContaining({ code: "unterminated", location: "UNZ" })],
    });
  });

  it("reads comma decimals, the release character, PIA/IMD/PRI/MOA/CNT, and BGM 5 as an update", () => {
    const result = parseEdifact(interchange([[
      "BGM+220+PO?+1+5", "DTM+137:20200101:102", "CUX+2:eur:9", "NAD+BY+5412345000013::9++Buyer?'s Shop+Main St 1+Gent++9000+BE",
      "LIN+1++4000862141404:EN", "PIA+1+ABC-7:SA+B-9:IN", "IMD+F++:::Blue paint", "QTY+21:2,5:KGM", "PRI+AAA:1,25", "MOA+203:3,125",
      "DTM+2:20200110:102", "UNS+S", "MOA+79:3,125", "CNT+2:1",
    ]], { una: "UNA:+,? '" }));
    const order = onlyOrder(result);
    expect(order).toEqual({
      documentNumber: "PO+1", kind: "update",
      senders: [{ scheme: "edifact-unb", qualifier: "14", value: "5412345000013" }],
      buyer: { name: "Buyer's Shop", identifiers: [{ scheme: "gln", value: "5412345000013" }], address: { lines: ["Main St 1"], city: "Gent", postalCode: "9000", country: "BE" } },
      orderDate: "2020-01-01", currency: "EUR",
      lines: [{
        lineNumber: "1", gtin: "4000862141404", vendorPartNumber: "ABC-7", buyerPartNumber: "B-9", description: "Blue paint",
        quantity: "2.5", unitOfMeasure: "KGM", unitPrice: "1.25", claimedLineTotal: "3.125",
        requestedDelivery: { earliest: "2020-01-10", latest: "2020-01-10" },
      }],
      claims: { total: "3.125", lineCount: "1" },
      notes: [],
    });
    expect(checkHeaderClaims(order)).toEqual([]);
  });

  it("keeps a line-level NAD from replacing the header party or losing the line's quantity", () => {
    const message = ["BGM+220+P1+9", "NAD+DP+111::9", "LIN+1++1:EN", "NAD+DP+222::9", "QTY+21:4"];
    const order = onlyOrder(parseEdifact(interchange([message])));
    expect(order.shipTo).toEqual({ identifiers: [{ scheme: "gln", value: "111" }] });
    expect(order.lines).toEqual([{ lineNumber: "1", gtin: "1", quantity: "4" }]);
  });

  it("names the segment, element and component of a bad value", () => {
    const bad = interchange([["BGM+220+P1+9", "LIN+1++1:EN", "QTY+21:1", "LIN+2++2:EN", "QTY+21:abc"]]);
    expect(documentError(parseEdifact(bad))).toEqual({
      code: "invalid-number", location: "QTY[2] element 01.2", message: 'QTY[2] element 01.2: quantity "abc" is not a number',
    });
    const badDate = interchange([["BGM+220+P1+9", "DTM+137:20201301:102", "LIN+1++1:EN", "QTY+21:1"]]);
    expect(documentError(parseEdifact(badDate))).toMatchObject({ code: "invalid-date", location: "DTM[1] element 01.2" });
    const noQty = interchange([["BGM+220+P1+9", "LIN+1++1:EN"]]);
    expect(documentError(parseEdifact(noQty))).toMatchObject({ code: "schema", location: "UNH[1] /lines/0/quantity" });
  });

  it("checks the UNT and UNZ counts, one document per message", () => {
    const two = interchange([["BGM+220+P1+9", "LIN+1++1:EN", "QTY+21:1"], ["BGM+220+P2+1", "LIN+1++1:EN", "QTY+21:3"]]);
    const result = parseEdifact(two);
    expect(result.ok && result.documents.map((d) => [d.order?.documentNumber, d.order?.kind])).toEqual([["P1", "original"], ["P2", "cancel"]]);
    expect(messageError(parseEdifact(interchange([["BGM+220+P1+9", "LIN+1++1:EN", "QTY+21:1"]], { unz: "2" })))).toMatchObject({ code: "count-mismatch", location: "UNZ element 01" });
    const wrongUnt = two.replace("UNT+5+1", "UNT+7+1");
    expect(documentError(parseEdifact(wrongUnt))).toMatchObject({ code: "count-mismatch", location: "UNT element 01" });
  });

  it("refuses what is not an interchange, and a cut-short one, with a reason", () => {
    expect(messageError(parseEdifact("hello"))).toMatchObject({ code: "envelope", location: "UNB" });
    expect(messageError(parseEdifact("UNA:+"))).toMatchObject({ code: "envelope", location: "UNA" });
    const cut = interchange([["BGM+220+P1+9", "LIN+1++1:EN", "QTY+21:1"]]);
    expect(messageError(parseEdifact(cut.slice(0, cut.indexOf("QTY") + 5)))).toMatchObject({ code: "unterminated" });
    const notOrders = interchange([["BGM+220+P1+9"]]).replace("ORDERS:", "INVOIC:");
    expect(documentError(parseEdifact(notOrders))).toMatchObject({ code: "unsupported", location: "UNH[1] element 02.1" });
  });
});

describe("EDIFACT character sets", () => {
  it("reads an ISO-8859-1 (UNOC) interchange byte for byte", () => {
    const text = interchange([["BGM+220+P1+9", "NAD+BY+1::9++Müller GmbH", "LIN+1++1:EN", "QTY+21:1"]]);
    expect(onlyOrder(parseEdifact(Buffer.from(text, "latin1"))).buyer?.name).toBe("Müller GmbH");
    expect(onlyOrder(parseEdifact(Buffer.from(text, "utf8"))).buyer?.name).toBe("Müller GmbH");
  });
});
