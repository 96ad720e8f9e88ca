/**
 * Currencies and amounts. Amounts are integers in the currency's minor unit (cents; yen have
 * none, dinars have three), never floats. Text a person typed ("12.50") becomes minor units
 * only through parseAmount, which says in words what is wrong with anything else.
 */
const known = new Set(Intl.supportedValuesOf("currency"));
const digitsCache = new Map<string, number>();

/** An ISO 4217 code this runtime knows (USD, EUR, JPY...). */
export function isKnownCurrency(code: string): boolean {
  return known.has(code);
}

/** Digits after the decimal point in the currency's minor unit (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** Largest amount we accept anywhere: ten trillion minor units, far inside 2^53. */
export const MAX_AMOUNT_MINOR = 10_000_000_000_000;

export type ParsedAmount = { ok: true; minor: number } | { ok: false; reason: string };

/** "12.50" in USD → 1250. A comma, a sign, a currency symbol or too many decimals is refused by name. */
export function parseAmount(text: string, currency: string): ParsedAmount {
  const value = text.trim();
  const match = /^(\d{1,14})(?:\.(\d+))?$/.exec(value);
  if (!match) return { ok: false, reason: `"${clip(value)}" is not an amount (write it like 1234.50, with a dot and no thousands separator)` };
  const digits = currencyDigits(currency);
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return { ok: false, reason: `"${clip(value)}" has more decimals than ${currency} allows (${digits})` };
  const minor = Number(match[1]!) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (minor > MAX_AMOUNT_MINOR) return { ok: false, reason: `"${clip(value)}" is too large` };
  return { ok: true, minor };
}

/** Minor units back to the plain decimal text parseAmount reads ("1250" USD → "12.50"). */
export function formatAmount(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

// Rates have at most 10 decimals (the column is numeric(20, 10)).
const RATE = /^(\d{1,9})(?:\.(\d{1,10}))?$/;

/** A positive decimal rate as typed ("1.0825"), or the reason it is not one. */
export function checkRate(text: string): string | null {
  const match = RATE.exec(text.trim());
  if (!match) return `"${clip(text.trim())}" is not a rate (a positive decimal such as 1.0825, at most 10 decimals)`;
  if (!/[1-9]/.test(match[1]! + (match[2] ?? ""))) return "must be greater than 0";
  return null;
}

/** Trailing zeros off a rate PostgreSQL returns as "1.0800000000". */
export function normalizeRate(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * `amountMinor` of `currency` in the base currency's minor units, rounded half up, exactly (no
 * floating point): rate × amount, scaled between the two currencies' minor units.
 */
export function convertMinor(amountMinor: number, currency: string, baseCurrency: string, rateToBase: string): number {
  if (currency === baseCurrency) return amountMinor;
  const [whole, fraction = ""] = normalizeRate(rateToBase).split(".");
  const rateScaled = BigInt(whole! + fraction.padEnd(10, "0"));
  const numerator = BigInt(amountMinor) * rateScaled * 10n ** BigInt(currencyDigits(baseCurrency));
  const denominator = 10n ** BigInt(currencyDigits(currency)) * 10n ** 10n;
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude + denominator / 2n) / denominator;
  return Number(negative ? -rounded : rounded);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
