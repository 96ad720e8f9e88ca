// Exact decimal arithmetic on the canonical decimal strings, through BigInt: sums and products of
// amounts must never pick up a float's rounding error before they are compared with a claim.

export type Scaled = { units: bigint; scale: number };

export function toScaled(value: string): Scaled {
  const negative = value.startsWith("-");
  const [whole = "0", fraction = ""] = value.replace(/^-/, "").split(".");
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function addScaled(a: Scaled, b: Scaled): Scaled {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function multiplyScaled(a: Scaled, b: Scaled): Scaled {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function compareScaled(a: Scaled, b: Scaled): number {
  const [x, y] = align(a, b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** The shortest decimal string: "85.00" → "85", "007.50" → "7.5", "-0" → "0". */
export function normalizeDecimal(value: string): string {
  const { units, scale } = toScaled(value);
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  let fraction = scale > 0 ? digits.slice(digits.length - scale) : "";
  digits = scale > 0 ? digits.slice(0, digits.length - scale) : digits;
  fraction = fraction.replace(/0+$/, "");
  const body = fraction ? `${digits}.${fraction}` : digits;
  return negative && body !== "0" ? `-${body}` : body;
}

export function formatScaled(value: Scaled): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, "0");
  const body = value.scale > 0 ? `${digits.slice(0, -value.scale)}.${digits.slice(-value.scale)}` : digits;
  return normalizeDecimal(negative ? `-${body}` : body);
}
