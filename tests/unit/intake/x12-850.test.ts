import { describe, expect, it } from "vitest";
import { checkHeaderClaims } from "@/lib/intake/check-header-claims";
import { parseX12850 } from "@/lib/intake/parse-x12-850";
import { documentError, messageError, onlyOrder, readFixture } from "./fixture";

// Expected values read by hand from the files (tests/fixtures/intake/x12-850, see SOURCES.md).

const widget = (lineNumber: string, quantity: string, unitPrice: string, buyerPart: string, vendorPart: string, description: string) => ({
  lineNumber, quantity, unitPrice, unitOfMeasure: "EA", buyerPartNumber: buyerPart, vendorPartNumber: vendorPart, description,
  itemIds: [{ scheme: "x12-235", qualifier: "PR", value: "RO" }],
});

const nodeX12Order = {
  documentNumber: "08292233294",
  kind: "original",
  reference: "610385385",
  senders: [{ scheme: "x12-isa", qualifier: "12", value: "4405197800" }, { scheme: "x12-gs", value: "4405197800" }],
  shipTo: {
    name: "XYZ RETAIL",
    identifiers: [{ scheme: "duns+4", value: "0003947268292" }],
    address: { lines: ["31875 SOLON RD"], city: "SOLON", region: "OH", postalCode: "44139" },
  },
  orderDate: "2010-11-27",
  requestedDelivery: { earliest: "2010-12-14", latest: "2010-12-14" },
  lines: [
    widget("1", "120", "9.25", "065322-117", "AB3542", "SMALL WIDGET"),
    widget("2", "220", "13.79", "066850-116", "RD5322", "MEDIUM WIDGET"),
    widget("3", "126", "10.99", "060733-110", "XY5266", "LARGE WIDGET"),
    widget("4", "76", "4.35", "065308-116", "VX2332", "NANO WIDGET"),
    widget("5", "72", "7.5", "065374-118", "RV0524", "BLUE WIDGET"),
    widget("6", "696", "9.55", "067504-118", "DX1875", "ORANGE WIDGET"),
  ],
  claims: { total: "13045.94", lineCount: "6" },
  notes: [],
};

const isa = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*U*00401*000000101*0*P*>~";

function x12Interchange(sets: string[][], options: { ieaCount?: string; geCount?: string; isa13?: string } = {}): string {
  const body = sets.map((segments, i) => [`ST*850*000${i + 1}`, ...segments, `SE*${segments.length + 2}*000${i + 1}`].join("~")).join("~");
  const control = options.isa13 ?? "000000101";
  return `${isa.replace("000000101", control)}GS*PO*SENDER*RECEIVER*20240101*1200*7*X*004010~${body}~GE*${options.geCount ?? sets.length}*7~IEA*${options.ieaCount ?? "1"}*${control}~`;
}

const simple = (po: string, purpose = "00", po1 = "PO1*1*2*EA*3.50**VN*SKU-1") => [`BEG*${purpose}*SA*${po}**20240101`, po1, "CTT*1"];

describe("X12 850", () => {
  it("reads the node-x12 retail PO: leading zeros kept, CB/VN qualifiers, DTM*002, AMT and CTT as claims", () => {
    const result = parseX12850(readFixture("x12-850/node-x12_850.edi"));
    expect(onlyOrder(result)).toEqual(nodeX12Order);
    expect(result.ok && result.envelope).toMatchObject({
      receivers: [{ scheme: "x12-isa", qualifier: "01", value: "999999999" }],
      controlNumbers: { isa13: "000003438", "gs06[1]": "1421", "st02[1]": "000000010" },
      usage: "production", flags: [],
    });
    // AMT*1 13045.94 is the true sum of the six lines, and CTT*6 their count: no flag.
    expect(checkHeaderClaims(onlyOrder(result))).toEqual([]);
  });

  it("reads the same order with newline segment terminators to the same canonical order", () => {
    expect(onlyOrder(parseX12850(readFixture("x12-850/node-x12_850_2_newline-terminated.edi")))).toEqual(nodeX12Order);
  });

  it("reads the EDI.Net drop-ship PO: BOM stripped, NBSP-padded ISA, N3/N4 ship-to, ISA13 ≠ IEA02 flagged", () => {
    const result = parseX12850(readFixture("x12-850/edinet_x12.850_bom.edi"));
    expect(onlyOrder(result)).toEqual({
      documentNumber: "1000012",
      kind: "original",
      senders: [{ scheme: "x12-isa", qualifier: "01", value: "000123456" }, { scheme: "x12-gs", value: "000123456" }],
      shipTo: { name: "John Doe", identifiers: [], address: { lines: ["126 Any St"], city: "Hauppauge", region: "NY", postalCode: "11788-1234", country: "US" } },
      orderDate: "2009-08-27",
      lines: [{ lineNumber: "1", quantity: "1", unitOfMeasure: "EA", unitPrice: "19.95", vendorPartNumber: "0054321" }],
      claims: { lineCount: "1", quantityTotal: "1" },
      notes: [],
    });
    expect(result.ok && result.envelope.usage).toBe("test");
    expect(result.ok && result.envelope.flags).toEqual([
      expect.objectContaining({ code: "control-mismatch", location: "IEA element 02" }),
    ]);
  });

  it("reads an unpadded ISA: separators come from the ISA itself, not from fixed offsets", () => {
    const text = "ISA|00||00||ZZ|S1|ZZ|R1|240101|1200|U|00401|5|0|P|^\nGS|PO|S1|R1|20240101|1200|9|X|004010\nST|850|1\nBEG|05|SA|77||20240102\nPO1|1|1|CA|10||VN|X\nSE|4|1\nGE|1|9\nIEA|1|5\n";
    const order = onlyOrder(parseX12850(text));
    expect(order).toMatchObject({ documentNumber: "77", kind: "update", senders: [{ value: "S1" }, { value: "S1" }], lines: [{ unitOfMeasure: "CA", vendorPartNumber: "X" }] });
  });

  it("makes one document per ST/SE across the interchange, each with its own outcome", () => {
    const result = parseX12850(x12Interchange([simple("A1"), simple("A2", "05"), simple("A3", "00", "PO1*1*2*EA*abc**VN*SKU-1"), simple("A4", "01")]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.documents.map((d) => d.order?.documentNumber)).toEqual(["A1", "A2", undefined, "A4"]);
    expect(result.documents.map((d) => d.order?.kind)).toEqual(["original", "update", undefined, "cancel"]);
    expect(result.documents[2]!.error).toEqual({
      code: "invalid-number", location: "PO1[1] element 04", message: 'PO1[1] element 04: unit price "abc" is not a number',
    });
  });

  it("keeps a line-level N1 loop from replacing the header ship-to or ending the line", () => {
    const sets = [["BEG*00*SA*P8**20240101", "N1*ST*HEADER DOCK*92*H1", "PO1*1*1*EA*2**VN*A", "N1*ST*LINE DOCK*92*L1", "PID*F****AFTER N1", "CTT*1"]];
    const order = onlyOrder(parseX12850(x12Interchange(sets)));
    expect(order.shipTo).toEqual({ name: "HEADER DOCK", identifiers: [{ scheme: "buyer-assigned", value: "H1" }] });
    expect(order.lines).toEqual([{ lineNumber: "1", quantity: "1", unitOfMeasure: "EA", unitPrice: "2", vendorPartNumber: "A", description: "AFTER N1" }]);
  });

  it("reads several GS groups in one ISA, each set with its group's sender", () => {
    const group = (sender: string, control: string, po: string) => `GS*PO*${sender}*RECEIVER*20240101*1200*${control}*X*004010~ST*850*1~BEG*00*SA*${po}**20240101~PO1*1*1*EA*1~SE*4*1~GE*1*${control}~`;
    const text = `${isa}${group("G1", "11", "P1")}${group("G2", "12", "P2")}IEA*2*000000101~`;
    const result = parseX12850(text);
    expect(result.ok && result.documents.map((d) => [d.order?.documentNumber, d.order?.senders[1]?.value])).toEqual([["P1", "G1"], ["P2", "G2"]]);
    expect(result.ok && result.envelope.controlNumbers).toMatchObject({ "gs06[1]": "11", "gs06[2]": "12" });
    expect(messageError(parseX12850(text.replace("IEA*2", "IEA*1")))).toMatchObject({ code: "count-mismatch", location: "IEA element 01" });
  });

  it("names the PO1 occurrence and element of a bad unit price", () => {
    const sets = [["BEG*00*SA*P9**20240101", "PO1*1*1*EA*1**VN*A", "PO1*2*1*EA*2**VN*B", "PO1*3*1*EA*abc**VN*C"]];
    expect(documentError(parseX12850(x12Interchange(sets)))?.message).toBe('PO1[3] element 04: unit price "abc" is not a number');
  });

  it("checks SE01, GE01 and IEA01 counts", () => {
    const wrongSe = x12Interchange([simple("A1")]).replace("SE*5*0001", "SE*9*0001");
    expect(documentError(parseX12850(wrongSe))).toMatchObject({ code: "count-mismatch", location: "SE element 01" });
    expect(messageError(parseX12850(x12Interchange([simple("A1")], { geCount: "2" })))).toMatchObject({ code: "count-mismatch", location: "GE[1] element 01" });
    expect(messageError(parseX12850(x12Interchange([simple("A1")], { ieaCount: "3" })))).toMatchObject({ code: "count-mismatch", location: "IEA element 01" });
  });

  it("tells a cut-short interchange from a broken one", () => {
    const full = x12Interchange([simple("A1"), simple("A2")]);
    const cut = full.slice(0, full.indexOf("ST*850*0002") + 30);
    const result = parseX12850(cut);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.documents[0]!.order?.documentNumber).toBe("A1");
    expect(result.documents[1]!.error).toMatchObject({ code: "unterminated" });
    expect(result.envelope.flags.map((f) => f.location)).toEqual(["GS[1]", "IEA"]);
  });

  it("refuses what is not an X12 850 interchange, with a reason", () => {
    expect(messageError(parseX12850("hello"))).toMatchObject({ code: "envelope", location: "ISA" });
    expect(messageError(parseX12850("ISA*00*"))).toMatchObject({ code: "envelope" });
    expect(messageError(parseX12850(""))).toMatchObject({ code: "empty" });
    expect(messageError(parseX12850("ISA*1234", { maxBytes: 3 }))).toMatchObject({ code: "too-large" });
    const notPo = x12Interchange([simple("A1")]).replace("ST*850", "ST*810");
    expect(documentError(parseX12850(notPo))).toMatchObject({ code: "unsupported", location: "ST[1] element 01" });
    const badPurpose = x12Interchange([simple("A1", "99")]);
    expect(documentError(parseX12850(badPurpose))).toMatchObject({ code: "unsupported", location: "BEG[1] element 01" });
  });

  it("refuses absurd dates, absurd quantities and NUL bytes in values", () => {
    expect(documentError(parseX12850(x12Interchange([["BEG*00*SA*A1**20241341", "PO1*1*1*EA*1"]])))).toMatchObject({ code: "invalid-date", location: "BEG[1] element 05" });
    expect(documentError(parseX12850(x12Interchange([["BEG*00*SA*A1**20240101", `PO1*1*${"9".repeat(40)}*EA*1`]])))).toMatchObject({ code: "invalid-number", location: "PO1[1] element 02" });
    expect(documentError(parseX12850(x12Interchange([["BEG*00*SA*A1**20240101", "PO1*1*0*EA*1"]])))).toMatchObject({ code: "invalid-number", location: "PO1[1] element 02" });
    expect(documentError(parseX12850(x12Interchange([["BEG*00*SA*A\u00001**20240101", "PO1*1*1*EA*1"]])))).toMatchObject({ code: "schema", location: "ST[1] /documentNumber" });
  });
});
