/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) on a resource already read: which of
 * its attributes are returned, never which resources (that is the filter, compiled to SQL).
 * Names are case-insensitive; `name.givenName` picks a sub-attribute; an extension's attributes
 * are named by URN prefix. `schemas`, `id` and `meta` are always returned.
 */
const ALWAYS = new Set(["schemas", "id", "meta"]);

interface Selector {
  urn?: string;
  attr: string;
  sub?: string;
}

function parseSelector(text: string, urns: string[]): Selector {
  const lower = text.toLowerCase();
  const urn = urns.find((u) => lower.startsWith(`${u.toLowerCase()}:`));
  const rest = urn ? lower.slice(urn.length + 1) : lower;
  const [attr = "", sub] = rest.split(".", 2);
  return { ...(urn ? { urn } : {}), attr, ...(sub ? { sub } : {}) };
}

const keyOf = (object: Record<string, unknown>, lower: string) => Object.keys(object).find((k) => k.toLowerCase() === lower);

function pickSub(value: unknown, subs: string[]): unknown {
  const pickOne = (v: unknown) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const s of subs) {
      const k = keyOf(v as Record<string, unknown>, s);
      if (k) out[k] = (v as Record<string, unknown>)[k];
    }
    return out;
  };
  return Array.isArray(value) ? value.map(pickOne) : pickOne(value);
}

export function projectAttributes(resource: Record<string, unknown>, attributes: string[], excluded: string[], urns: string[]): Record<string, unknown> {
  if (attributes.length === 0 && excluded.length === 0) return resource;
  if (attributes.length > 0) {
    const wanted = attributes.map((a) => parseSelector(a, urns));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource)) {
      const lower = key.toLowerCase();
      if (ALWAYS.has(lower)) {
        out[key] = value;
        continue;
      }
      const urn = urns.find((u) => u.toLowerCase() === lower);
      if (urn) {
        const inExt = wanted.filter((w) => w.urn === urn);
        if (inExt.length === 0 || !value || typeof value !== "object") continue;
        const ext = value as Record<string, unknown>;
        const picked: Record<string, unknown> = {};
        for (const w of inExt) {
          const k = keyOf(ext, w.attr);
          if (k) picked[k] = w.sub ? pickSub(ext[k], [w.sub]) : ext[k];
        }
        if (Object.keys(picked).length) out[key] = picked;
        continue;
      }
      const matches = wanted.filter((w) => !w.urn && w.attr === lower);
      if (matches.length === 0) continue;
      out[key] = matches.some((m) => !m.sub) ? value : pickSub(value, matches.map((m) => m.sub!));
    }
    return out;
  }
  const dropped = excluded.map((a) => parseSelector(a, urns));
  const out: Record<string, unknown> = { ...resource };
  for (const d of dropped) {
    if (d.urn) {
      const extKey = keyOf(out, d.urn.toLowerCase());
      const ext = extKey ? out[extKey] : undefined;
      if (extKey && ext && typeof ext === "object") {
        const copy = { ...(ext as Record<string, unknown>) };
        const k = keyOf(copy, d.attr);
        if (k) delete copy[k];
        out[extKey] = copy;
      }
      continue;
    }
    const k = keyOf(out, d.attr);
    if (!k || ALWAYS.has(k.toLowerCase())) continue;
    if (!d.sub) delete out[k];
    else if (out[k] && typeof out[k] === "object" && !Array.isArray(out[k])) {
      const copy = { ...(out[k] as Record<string, unknown>) };
      const sk = keyOf(copy, d.sub);
      if (sk) delete copy[sk];
      out[k] = copy;
    }
  }
  return out;
}
