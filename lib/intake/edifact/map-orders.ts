import type { CanonicalOrder, Identifier, OrderKind, OrderLine, Party } from "../canonical-order";
import { fail } from "../parse-result";
import { compact, optionalText, readDate, readDecimal, readQuantity } from "../read-values";
import { at, part, type EdifactSegment } from "./tokenize-edifact";

// One ORDERS message (EANCOM included) → the canonical order. Segments we do not use are skipped: a
// message type's optional segments must not turn into false rejects.

const FUNCTION: Record<string, OrderKind> = { "9": "original", "7": "original", "31": "original", "4": "update", "5": "update", "1": "cancel", "3": "cancel" };
const ROLE: Record<string, "buyer" | "shipTo" | "billTo" | "seller"> = { BY: "buyer", DP: "shipTo", ST: "shipTo", IV: "billTo", SU: "seller" };
const AGENCY: Record<string, string> = { "9": "gln", "16": "duns", "91": "seller-assigned", "92": "buyer-assigned" };

export function mapOrders(segments: EdifactSegment[], senders: Identifier[], decimalComma: boolean): CanonicalOrder {
  const unh = segments[0]!;
  if (part(unh, 2, 1) !== "ORDERS") fail("unsupported", "UNH[1] element 02.1", `message type ${JSON.stringify(part(unh, 2, 1))} is not ORDERS`);
  const order: CanonicalOrder = { documentNumber: "", kind: "original", senders, lines: [], claims: {}, notes: [] };
  const seen = new Map<string, number>();
  const number = (raw: string, where: string, what: string) => readDecimal(raw, where, what, { comma: decimalComma || raw.includes(",") });
  let line: OrderLine | undefined;
  let summary = false;
  let sawBgm = false;
  for (const segment of segments.slice(1, -1)) {
    const n = (seen.get(segment.tag) ?? 0) + 1;
    seen.set(segment.tag, n);
    const where = (e?: number, c?: number) => at(segment, n, e, c);
    switch (segment.tag) {
      case "BGM": {
        sawBgm = true;
        order.documentNumber = optionalText(part(segment, 2, 1)) ?? fail("missing", where(2, 1), "the order number is missing");
        const code = part(segment, 3) || "9";
        order.kind = FUNCTION[code] ?? fail("unsupported", where(3), `message function ${JSON.stringify(code)} is not 9 (original), 5 (replace) or 1 (cancel)`);
        break;
      }
      case "DTM": applyDate(order, line, segment, where); break;
      case "CUX": if (part(segment, 1, 2)) order.currency = part(segment, 1, 2).trim().toUpperCase(); break;
      // A NAD after a LIN is that line's own party (SG29): not read yet (ADR 0023), and it must not end the line.
      case "NAD": { const role = ROLE[part(segment, 1)]; if (role && !line && !summary) order[role] = readParty(segment); break; }
      case "FTX": { const note = segment.elements[3]?.map((s) => s.trim()).filter(Boolean).join(" "); if (note) (line ? (line.notes ??= []) : order.notes).push(note); break; }
      case "LIN": line = readLin(segment, n, where); order.lines.push(line); break;
      case "PIA": if (line) applyPia(line, segment); break;
      case "IMD": if (line) { const text = [part(segment, 3, 4), part(segment, 3, 5)].map((s) => s.trim()).filter(Boolean).join(" "); if (text) line.description = text; } break;
      case "QTY":
        if (line && (part(segment, 1, 1) === "21" || part(segment, 1, 1) === "1")) {
          line.quantity = readQuantity(part(segment, 1, 2), where(1, 2), { comma: true });
          if (part(segment, 1, 3)) line.unitOfMeasure = part(segment, 1, 3).trim();
        }
        break;
      case "PRI":
        if (line && ["AAA", "AAB"].includes(part(segment, 1, 1)) && (part(segment, 1, 1) === "AAA" || !line.unitPrice)) {
          line.unitPrice = number(part(segment, 1, 2), where(1, 2), "unit price");
          if (part(segment, 1, 5)) line.priceBasisQuantity = number(part(segment, 1, 5), where(1, 5), "price basis quantity");
        }
        break;
      case "MOA":
        if (line && !summary && part(segment, 1, 1) === "203") line.claimedLineTotal = number(part(segment, 1, 2), where(1, 2), "line amount");
        if (summary && ["79", "86", "128"].includes(part(segment, 1, 1)) && !order.claims.total) order.claims.total = number(part(segment, 1, 2), where(1, 2), "total amount");
        break;
      case "UNS": summary = true; line = undefined; break;
      case "CNT": if (part(segment, 1, 1) === "2") order.claims.lineCount = String(Number(readQuantity(part(segment, 1, 2), where(1, 2)))); break;
      default: break;
    }
  }
  if (!sawBgm) fail("missing", "BGM", "the message has no BGM segment");
  return order;
}

function readLin(segment: EdifactSegment, n: number, where: (e?: number, c?: number) => string): OrderLine {
  // QTY follows LIN; until it does the quantity is a placeholder that the schema check refuses.
  const line: OrderLine = { lineNumber: optionalText(part(segment, 1)) ?? String(n), quantity: "" };
  const id = optionalText(part(segment, 3, 1));
  const type = part(segment, 3, 2);
  if (id && (type === "EN" || type === "SRV" || type === "UP")) line.gtin = id;
  else if (id && type === "SA") line.vendorPartNumber = id;
  else if (id && (type === "IN" || type === "BP")) line.buyerPartNumber = id;
  else if (id) (line.itemIds ??= []).push({ scheme: "edifact-7143", qualifier: type || where(3, 2), value: id });
  return line;
}

function applyPia(line: OrderLine, segment: EdifactSegment): void {
  for (const element of segment.elements.slice(1)) {
    const [id = "", type = ""] = element.map((s) => s.trim());
    if (!id) continue;
    if (type === "SA" && !line.vendorPartNumber) line.vendorPartNumber = id;
    else if ((type === "IN" || type === "BP") && !line.buyerPartNumber) line.buyerPartNumber = id;
    else (line.itemIds ??= []).push({ scheme: "edifact-7143", qualifier: type, value: id });
  }
}

function readParty(segment: EdifactSegment): Party {
  const identifiers: Identifier[] = [];
  const id = optionalText(part(segment, 2, 1));
  if (id) identifiers.push({ scheme: AGENCY[part(segment, 2, 3)] ?? "edifact-nad", value: id });
  const name = [...(segment.elements[3] ?? []), ...(segment.elements[2] ?? [])].map((s) => s.trim()).filter(Boolean)[0];
  const lines = (segment.elements[4] ?? []).map((s) => s.trim()).filter(Boolean);
  const hasAddress = lines.length > 0 || part(segment, 6) || part(segment, 8) || part(segment, 9);
  const address = hasAddress
    ? compact({ lines, city: optionalText(part(segment, 6)), region: optionalText(part(segment, 7)), postalCode: optionalText(part(segment, 8)), country: optionalText(part(segment, 9)) })
    : undefined;
  return compact({ name, identifiers, address });
}

function applyDate(order: CanonicalOrder, line: OrderLine | undefined, segment: EdifactSegment, where: (e?: number, c?: number) => string): void {
  const qualifier = part(segment, 1, 1);
  if (!["137", "2", "63", "64"].includes(qualifier)) return;
  const raw = part(segment, 1, 2);
  const format = part(segment, 1, 3) || "102";
  if (!["102", "203", "204"].includes(format)) fail("unsupported", where(1, 3), `date format ${JSON.stringify(format)} is not 102, 203 or 204`);
  const date = readDate(raw.slice(0, 8), where(1, 2), qualifier === "137" ? "order date" : "delivery date");
  if (qualifier === "137") { order.orderDate = date; return; }
  const target = line ? (line.requestedDelivery ??= {}) : (order.requestedDelivery ??= {});
  if (qualifier === "2") { target.earliest = date; target.latest = date; }
  else if (qualifier === "64") target.earliest = date;
  else target.latest = date;
}
