import { createHash } from "node:crypto";

/** A small seeded PRNG (mulberry32), so every run samples the same members and checks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error("pick from an empty list");
  return items[randomInt(rng, items.length)]!;
}

/** `k` distinct integers from [0, n), in random order. */
export function sampleIndexes(rng: () => number, n: number, k: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(k, n)) chosen.add(randomInt(rng, n));
  return [...chosen];
}

/**
 * The uuid PostgreSQL derives from `md5(text)::uuid`. The generator names every row this way
 * (`md5('m:' || i)::uuid` is member i), so the bench can address rows by ordinal without lookups.
 */
export function md5Uuid(text: string): string {
  const h = createHash("md5").update(text, "utf8").digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
