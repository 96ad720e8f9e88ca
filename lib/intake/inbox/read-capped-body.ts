import { PayloadTooLargeError } from "@/lib/core/errors";

/**
 * The request body as bytes, never more than `limit`: a Content-Length past the limit is refused
 * before reading, and the count is kept while reading, since Content-Length can be absent or lie.
 * Past the limit the stream is cancelled, so a huge body is never buffered.
 */
export async function readCappedBody(request: Request, limit: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  const reader = request.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks, size);
}
