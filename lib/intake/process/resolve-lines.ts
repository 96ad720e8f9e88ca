import type { OrderLine } from "../canonical-order";
import type { IntakeFormat } from "../parse-payload";
import type { ChannelRules } from "./channel-rules";
import { lineLocation } from "./line-location";
import { toMinorUnits, toWholeQuantity } from "./minor-units";
import { planIssue, type PlanIssue } from "./plan-issue";

// Each canonical line → an order line: a catalog SKU (through the channel's cross-reference first, then
// the part numbers as sent), or, when the channel accepts unknown SKUs, a free-text line at the sender's
// price. Anything that cannot become a line is a precise reason at the line's place in the payload.

export type CatalogEntry = { sku: string; active: boolean };
export type PlanLine =
  | { kind: "catalog"; sku: string; quantity: number }
  | { kind: "free-text"; sku: string; description: string; quantity: number; unitPriceMinor: number };

export type LineContext = {
  format: IntakeFormat;
  documentIndex: number;
  inArray: boolean;
  currency: string;
  rules: ChannelRules;
  /** Buyer part number (lower case) → our SKU, for this channel and account. */
  xrefs: ReadonlyMap<string, string>;
  /** Lower-case SKU → the catalog's spelling and whether it can be ordered. */
  catalog: ReadonlyMap<string, CatalogEntry>;
};

export const MAX_ORDER_LINES = 500;

/** The part numbers a line could be known by, best first; what the worker loads the catalog for. */
export function candidateSkus(line: OrderLine, xrefs: ReadonlyMap<string, string>): string[] {
  const viaXref = [line.buyerPartNumber, line.vendorPartNumber, line.gtin].map((p) => (p ? xrefs.get(p.toLowerCase()) : undefined));
  const direct = [line.vendorPartNumber, line.buyerPartNumber, line.gtin, ...(line.itemIds ?? []).map((i) => i.value)];
  return [...new Set([...viaXref, ...direct].filter((p): p is string => typeof p === "string" && p.trim() !== "").map((p) => p.trim()))];
}

export function resolveLines(lines: readonly OrderLine[], ctx: LineContext): { lines: PlanLine[]; flags: PlanIssue[] } | { error: PlanIssue } {
  if (lines.length > MAX_ORDER_LINES) {
    return { error: planIssue("too-large", lineLocation(ctx.format, MAX_ORDER_LINES, "line", ctx.documentIndex, ctx.inArray), `the order has ${lines.length} lines; an order takes at most ${MAX_ORDER_LINES}`) };
  }
  const out: PlanLine[] = [];
  const flags: PlanIssue[] = [];
  for (const [i, line] of lines.entries()) {
    const at = (field: Parameters<typeof lineLocation>[2]) => lineLocation(ctx.format, i, field, ctx.documentIndex, ctx.inArray);
    const quantity = toWholeQuantity(line.quantity);
    if (quantity === null) {
      return { error: planIssue("invalid-number", at("quantity"), `line ${line.lineNumber}: quantity ${JSON.stringify(line.quantity)} is not a whole number from 1 to 1,000,000; orders take whole units`) };
    }
    const candidates = candidateSkus(line, ctx.xrefs);
    const known = candidates.map((c) => ctx.catalog.get(c.toLowerCase())).find((entry) => entry !== undefined);
    if (known?.active) {
      out.push({ kind: "catalog", sku: known.sku, quantity });
      continue;
    }
    const shown = candidates[0] ?? "(none)";
    const why = known ? `${known.sku} is inactive in the catalog` : `no product in the catalog matches part ${JSON.stringify(shown)}`;
    if (ctx.rules.unknownSku === "reject") {
      return { error: planIssue("unknown-sku", at("part"), `line ${line.lineNumber}: ${why}; add a cross-reference (intake xref add) or let the channel accept unknown SKUs`) };
    }
    const price = line.unitPrice === undefined ? 0 : toMinorUnits(line.unitPrice, ctx.currency);
    if (price === null) {
      return { error: planIssue("invalid-number", at("unitPrice"), `line ${line.lineNumber}: unit price ${JSON.stringify(line.unitPrice)} is not an amount in ${ctx.currency}`) };
    }
    if (line.unitPrice === undefined) flags.push(planIssue("no-price", at("unitPrice"), `line ${line.lineNumber}: a free-text line without a price; it is held until a person prices it`));
    flags.push(planIssue("free-text-line", at("part"), `line ${line.lineNumber}: ${why}; kept as a free-text line`));
    const sku = (candidates[0] ?? `LINE-${line.lineNumber}`).slice(0, 64);
    out.push({ kind: "free-text", sku, description: (line.description ?? sku).slice(0, 500), quantity, unitPriceMinor: price });
  }
  return { lines: out, flags };
}
