/**
 * The new-order form's lines: one per line, "SKU quantity" (or "SKU, quantity"), so a buyer can
 * paste a list. The command checks each SKU and quantity against the catalog.
 */
export function readOrderLinesText(text: string): { ok: true; value: Array<{ sku: string; quantity: number }> } | { ok: false; reason: string } {
  const rows = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (rows.length === 0) return { ok: false, reason: "needs at least one line: a SKU and a quantity, such as HX-2210 12" };
  if (rows.length > 500) return { ok: false, reason: "may have at most 500 lines" };
  const value: Array<{ sku: string; quantity: number }> = [];
  for (const [i, row] of rows.entries()) {
    const m = /^(\S+?)[\s,;]+(\d{1,9})$/.exec(row);
    if (!m) return { ok: false, reason: `line ${i + 1} ("${row.slice(0, 40)}") is not a SKU followed by a whole quantity` };
    value.push({ sku: m[1]!, quantity: Number(m[2]) });
  }
  return { ok: true, value };
}
