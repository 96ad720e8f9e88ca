/**
 * Canonical JSON: object keys sorted at every level, no insignificant whitespace, `undefined`
 * dropped. Two encodings of the same event are byte-identical, whoever computes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/**
 * The metadata exactly as it will read back from jsonb: a JSON round trip (drops undefined,
 * normalizes numbers and dates) with NUL characters replaced, since jsonb cannot store them.
 */
export function normalizeMetadata(metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const text = JSON.stringify(metadata ?? {}).replace(/\\u0000/g, "\\ufffd");
  return JSON.parse(text) as Record<string, unknown>;
}
