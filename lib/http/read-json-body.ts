import { PayloadTooLargeError, ValidationError } from "@/lib/core/errors";

// API bodies are small objects; anything bigger is a mistake or an attack.
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Reads a JSON request body with a size limit; malformed JSON is a 422 naming `body`. */
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
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new ValidationError({ body: ["is not valid JSON"] });
  }
}
