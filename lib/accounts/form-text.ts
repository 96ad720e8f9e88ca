import { isKnownCurrency, parseAmount } from "./money";

/*
 * What people type in the dashboard's forms, turned into command input: "USD 18.99, EUR 17.50"
 * for prices, "EUR 1.08" for rates, "250000" for a credit limit. Every problem comes back as a
 * reason naming the entry, for the field it was typed in.
 */

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function entries(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);
}

function splitEntry(entry: string): [string, string] | null {
  const match = /^([A-Za-z]{3})\s*[=: ]\s*(\S+)$/.exec(entry);
  return match ? [match[1]!.toUpperCase(), match[2]!] : null;
}

/** "USD 18.99, EUR 17.50" → { USD: 1899, EUR: 1750 }. */
export function parsePriceText(text: string): Parsed<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of entries(text)) {
    const pair = splitEntry(entry);
    if (!pair) return { ok: false, reason: `"${entry.slice(0, 40)}" should look like USD 18.99` };
    const [currency, amountText] = pair;
    if (!isKnownCurrency(currency)) return { ok: false, reason: `${currency} is not an ISO 4217 currency` };
    if (currency in out) return { ok: false, reason: `${currency} is given twice` };
    const amount = parseAmount(amountText, currency);
    if (!amount.ok) return { ok: false, reason: `${currency}: ${amount.reason}` };
    out[currency] = amount.minor;
  }
  return { ok: true, value: out };
}

/** "EUR 1.08, CAD 0.73" → [{ currency: "EUR", rateToBase: "1.08" }, ...]; rates are checked by the command. */
export function parseRateText(text: string): Parsed<Array<{ currency: string; rateToBase: string }>> {
  const out: Array<{ currency: string; rateToBase: string }> = [];
  for (const entry of entries(text)) {
    const pair = splitEntry(entry);
    if (!pair) return { ok: false, reason: `"${entry.slice(0, 40)}" should look like EUR 1.08` };
    out.push({ currency: pair[0], rateToBase: pair[1] });
  }
  return { ok: true, value: out };
}

/** An optional amount: empty is null ("no limit"). */
export function parseOptionalAmount(text: string, currency: string): Parsed<number | null> {
  if (text.trim() === "") return { ok: true, value: null };
  if (!isKnownCurrency(currency)) return { ok: true, value: null };
  const amount = parseAmount(text, currency);
  return amount.ok ? { ok: true, value: amount.minor } : { ok: false, reason: amount.reason };
}
