import type { ReactNode } from "react";
import { formatMoney } from "@/components/format";

export interface OrderLineRow {
  lineNo: number;
  sku: string;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  totalMinor: number;
}

/**
 * An order's lines, for the buyer's order page and the supplier's view alike. Scrolls inside
 * its own box on a phone instead of widening the page; `footer` holds totals rows, if any.
 */
export function OrderLinesTable({ lines, currency, caption, footer }: { lines: OrderLineRow[]; currency: string; caption?: string; footer?: ReactNode }) {
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <div className="relative mt-2 overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">#</th>
            <th scope="col" className="px-3 py-2">SKU</th>
            <th scope="col" className="px-3 py-2">Description</th>
            <th scope="col" className="px-3 py-2 text-right">Qty</th>
            <th scope="col" className="px-3 py-2 text-right">Unit price</th>
            <th scope="col" className="px-3 py-2 text-right">Line total</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {lines.map((l) => (
            <tr key={l.lineNo}>
              <td className="px-3 py-2">{l.lineNo}</td>
              <td className="px-3 py-2 font-mono">{l.sku}</td>
              <td className="px-3 py-2">{l.description}</td>
              <td className="px-3 py-2 text-right tabular-nums">{l.quantity}</td>
              <td className="px-3 py-2 text-right tabular-nums">{money(l.unitPriceMinor)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{money(l.totalMinor)}</td>
            </tr>
          ))}
        </tbody>
        {footer ? <tfoot className="text-sm">{footer}</tfoot> : null}
      </table>
    </div>
  );
}
