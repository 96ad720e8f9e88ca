import { PayloadTooLargeError, ValidationError } from "@/lib/core/errors";
import { assertCleanInput } from "@/lib/core/input-rules";

// API bodies are small objects; anything bigger is a mistake or an attack.
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON request body with a size limit; malformed JSON is a 422 naming `body`. The
 * decoded value then passes the boundary scan (lib/core/input-rules.ts): NUL, lone surrogates,
 * `__proto__`/`constructor`/`prototype` keys and absurd nesting are refused, naming the field.
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ValidationError({ body: ["must be sent as application/json"] });
  // Counted while reading: Content-Length can be absent or lie.
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const chunk = await reader.read();
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(chunk.value);
  }
  // Fatal decoding: bytes that are not UTF-8 are bad input, not text with U+FFFD in it.
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ValidationError({ body: ["is not valid UTF-8"] });
  }
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new ValidationError({ body: ["is not valid JSON"] });
  }
  assertCleanInput(value);
  return value;
}
