import { isLosslessNumber, parse } from "lossless-json";
import { fail } from "./parse-result";

// JSON read with lossless-json, so a Shopify id beyond 2^53 or a price like 12.50 reaches us as the digits
// that were sent. Depth is bounded before parsing: the library recurses, and a deep enough array would
// otherwise end in a stack overflow.

const MAX_DEPTH = 64;

export function readJson(text: string): unknown {
  checkDepth(text);
  try {
    return parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : "unreadable JSON";
    const position = /position (\d+)/.exec(message)?.[1];
    return fail("syntax", position ? `character ${position}` : "/", `the JSON is not well-formed (${message.replace(/ at position \d+/, "")})`);
  }
}

function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") {
      if (++depth > MAX_DEPTH) fail("too-deep", `character ${i}`, `the JSON nests deeper than ${MAX_DEPTH} levels`);
    } else if (char === "}" || char === "]") depth--;
  }
}

/** A JSON value as text: strings as sent, numbers as their exact digits; anything else is absent. */
export function jsonText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isLosslessNumber(value)) return value.value;
  return undefined;
}

/** Replaces every lossless number by its digits, so the schema sees strings it can check exactly. */
export function numbersToText(value: unknown): unknown {
  if (isLosslessNumber(value)) return value.value;
  if (Array.isArray(value)) return value.map(numbersToText);
  if (value && typeof value === "object") {
    const out = Object.create(null) as Record<string, unknown>;
    for (const [key, inner] of Object.entries(value)) out[key] = numbersToText(inner);
    return { ...out };
  }
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON pointer (RFC 6901) from path segments. */
export function pointer(...segments: Array<string | number>): string {
  return "/" + segments.map((s) => String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}
