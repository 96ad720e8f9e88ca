import { toScaled } from "../decimal-math";

// Canonical decimals → integer minor units of the currency, exactly (no float on the way).

/** Digits after the point for a currency: 2 for EUR, 0 for JPY, 3 for KWD (ISO 4217 through Intl). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "12.5" EUR → 1250; null when the amount has more precision than the currency or is out of range. */
export function toMinorUnits(amount: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const { units, scale } = toScaled(amount);
  let minor: bigint;
  if (scale <= digits) minor = units * 10n ** BigInt(digits - scale);
  else {
    const divisor = 10n ** BigInt(scale - digits);
    if (units % divisor !== 0n) return null;
    minor = units / divisor;
  }
  if (minor < 0n || minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}

/** A whole quantity from 1 to 1,000,000 (what an order line holds), else null. */
export function toWholeQuantity(quantity: string): number | null {
  const { units, scale } = toScaled(quantity);
  const divisor = 10n ** BigInt(scale);
  if (units % divisor !== 0n) return null;
  const whole = units / divisor;
  return whole >= 1n && whole <= 1_000_000n ? Number(whole) : null;
}
