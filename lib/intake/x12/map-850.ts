import type { CanonicalOrder, Identifier, OrderKind, OrderLine, Party } from "../canonical-order";
import { fail } from "../parse-result";
import { compact, optionalText, readDate, readDecimal, readQuantity } from "../read-values";
import { element, where, type X12Segment } from "./tokenize-x12";

// One 850 transaction set → the canonical order. Locations name the segment's occurrence within the set
// and the element, as X12 people read them: `PO1[3] element 04`.

const PURPOSE: Record<string, OrderKind> = { "00": "original", "07": "original", "05": "update", "01": "cancel" };
const PARTY_ROLE: Record<string, "buyer" | "shipTo" | "billTo" | "seller"> = { BY: "buyer", ST: "shipTo", BT: "billTo", SE: "seller", VN: "seller" };
const ID_SCHEME: Record<string, string> = { UL: "gln", "1": "duns", "9": "duns+4", "91": "seller-assigned", "92": "buyer-assigned" };
const BUYER_PART = new Set(["BP", "CB", "IN"]);
const VENDOR_PART = new Set(["VN", "VP", "SK", "VA"]);
const GTIN = new Set(["UP", "UK", "EN", "EO", "UA"]);

export function map850(segments: X12Segment[], senders: Identifier[]): CanonicalOrder {
  const st = segments[0]!;
  if (element(st, 1) !== "850") fail("unsupported", "ST[1] element 01", `transaction set ${JSON.stringify(element(st, 1))} is not a purchase order (850)`);
  const seen = new Map<string, number>();
  const order: CanonicalOrder = { documentNumber: "", kind: "original", senders, lines: [], claims: {}, notes: [] };
  let line: OrderLine | undefined;
  let party: Party | undefined;
  let sawBeg = false;
  for (const segment of segments.slice(1, -1)) {
    const n = (seen.get(segment.id) ?? 0) + 1;
    seen.set(segment.id, n);
    const at = (e?: number) => where(segment, n, e);
    switch (segment.id) {
      case "BEG": {
        sawBeg = true;
        const kind = PURPOSE[element(segment, 1)];
        if (!kind) fail("unsupported", at(1), `purpose code ${JSON.stringify(element(segment, 1))} is not 00 (original), 05 (replace) or 01 (cancel)`);
        order.kind = kind;
        order.documentNumber = optionalText(element(segment, 3)) ?? fail("missing", at(3), "the purchase order number is missing");
        if (element(segment, 5)) order.orderDate = readDate(element(segment, 5), at(5), "order date");
        order.reference = optionalText(element(segment, 6));
        break;
      }
      case "CUR": order.currency = optionalText(element(segment, 2))?.toUpperCase(); break;
      case "DTM": applyDate(line ? (line.requestedDelivery ??= {}) : (order.requestedDelivery ??= {}), segment, at); break;
      case "N1": {
        party = compact({ name: optionalText(element(segment, 2)), identifiers: [] as Identifier[] });
        const id = optionalText(element(segment, 4));
        if (id) party.identifiers.push({ scheme: ID_SCHEME[element(segment, 3)] ?? `x12-${element(segment, 3) || "unqualified"}`, value: id });
        // An N1 loop inside a PO1 loop is that line's own destination: not read yet (ADR 0023), and it
        // must neither replace the header's party nor end the line.
        const role = PARTY_ROLE[element(segment, 1)];
        if (role && !line) order[role] = party;
        break;
      }
      case "N3": if (party) { const address = (party.address ??= { lines: [] }); address.lines.push(...[element(segment, 1), element(segment, 2)].map((v) => v.trim()).filter(Boolean)); } break;
      case "N4": if (party) party.address = compact({ ...(party.address ?? { lines: [] }), city: optionalText(element(segment, 1)), region: optionalText(element(segment, 2)), postalCode: optionalText(element(segment, 3)), country: optionalText(element(segment, 4)) }); break;
      case "PO1": line = readPo1(segment, n, at); order.lines.push(line); party = undefined; break;
      case "PID": if (line && element(segment, 5)) line.description = [line.description, element(segment, 5).trim()].filter(Boolean).join(" "); break;
      case "MSG": case "NTE": { const note = optionalText(element(segment, segment.id === "MSG" ? 1 : 2)); if (note) (line ? (line.notes ??= []) : order.notes).push(note); break; }
      case "CTT":
        line = undefined;
        order.claims.lineCount = readCount(element(segment, 1), at(1));
        if (element(segment, 2)) order.claims.quantityTotal = readDecimal(element(segment, 2), at(2), "hash total");
        break;
      case "AMT": if (["TT", "1", "GV"].includes(element(segment, 1))) order.claims.total = readDecimal(element(segment, 2), at(2), "total amount"); break;
      default: break;
    }
  }
  if (!sawBeg) fail("missing", "BEG", "the purchase order has no BEG segment");
  return order;
}

function readPo1(segment: X12Segment, n: number, at: (e?: number) => string): OrderLine {
  const line: OrderLine = {
    lineNumber: optionalText(element(segment, 1)) ?? String(n),
    quantity: readQuantity(element(segment, 2), at(2)),
  };
  if (element(segment, 3)) line.unitOfMeasure = element(segment, 3).trim();
  if (element(segment, 4)) line.unitPrice = readDecimal(element(segment, 4), at(4), "unit price");
  for (let e = 6; e < segment.elements.length + 1; e += 2) {
    const qualifier = element(segment, e).trim();
    const value = element(segment, e + 1).trim();
    if (!qualifier && !value) continue;
    if (!value) fail("missing", at(e + 1), `the product id for qualifier ${JSON.stringify(qualifier)} is missing`);
    if (BUYER_PART.has(qualifier) && !line.buyerPartNumber) line.buyerPartNumber = value;
    else if (VENDOR_PART.has(qualifier) && !line.vendorPartNumber) line.vendorPartNumber = value;
    else if (GTIN.has(qualifier) && !line.gtin) line.gtin = value;
    else (line.itemIds ??= []).push({ scheme: "x12-235", qualifier, value });
  }
  return line;
}

function applyDate(target: { earliest?: string; latest?: string }, segment: X12Segment, at: (e?: number) => string): void {
  const qualifier = element(segment, 1);
  if (!["002", "063", "064", "010"].includes(qualifier)) return;
  const date = readDate(element(segment, 2), at(2), "delivery date");
  if (qualifier === "002" || qualifier === "010") { target.earliest = date; target.latest = date; }
  else if (qualifier === "064") target.earliest = date;
  else target.latest = date;
}

function readCount(raw: string, location: string): string {
  const text = raw.trim();
  if (!/^\d{1,9}$/.test(text)) fail("invalid-number", location, `line count ${JSON.stringify(raw)} is not a whole number`);
  return String(Number(text));
}
