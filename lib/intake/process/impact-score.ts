// How much a dead letter matters, so the queue is worked from the top: the order's value (in the
// account's base currency, major units) × the account's tier weight × an age factor that grows by one
// for every day it has waited. The first two are known when the letter is written and stored as its
// `impact`; the age factor is applied when the queue is read, against one instant per listing (the
// cursor carries it), so pages stay consistent while time passes.
//
//     impact(t) = value × tierWeight × (1 + days waited at t)
//
// A letter whose value is unknown (the document could not be read) counts as value 1, so it still ranks
// by tier and age rather than sinking below every priced one forever.

const TIER_WEIGHTS: Record<string, number> = { strategic: 4, platinum: 3, enterprise: 3, gold: 2, key: 2, silver: 1.5, standard: 1, basic: 0.75 };

export function tierWeight(tier: string | null | undefined): number {
  const key = (tier ?? "").trim().toLowerCase();
  return Object.hasOwn(TIER_WEIGHTS, key) ? TIER_WEIGHTS[key]! : 1;
}

/** The stored part: value in major units (minor ÷ 10^digits) × tier weight, never below the tier weight. */
export function baseImpact(valueMinor: number | null, currencyDigits: number, tier: string | null | undefined): number {
  const value = valueMinor === null || valueMinor <= 0 ? 1 : valueMinor / 10 ** currencyDigits;
  return Math.round(Math.max(1, value) * tierWeight(tier) * 100) / 100;
}

export function ageFactor(createdAt: Date, asOf: Date): number {
  const days = Math.max(0, asOf.getTime() - createdAt.getTime()) / 86_400_000;
  return 1 + days;
}

export function impactAt(base: number, createdAt: Date, asOf: Date): number {
  return base * ageFactor(createdAt, asOf);
}
