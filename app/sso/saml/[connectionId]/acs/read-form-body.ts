/**
 * A urlencoded form body of at most `limit` bytes, streamed (a bigger one is dropped unread past
 * the limit), or null for another content type, a bigger body or bytes that are not UTF-8.
 */
export async function readFormBody(request: Request, limit: number): Promise<URLSearchParams | null> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) return null;
  if (Number(request.headers.get("content-length") ?? "0") > limit) return null;
  const reader = request.body?.getReader();
  if (!reader) return new URLSearchParams();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  try {
    return new URLSearchParams(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    return null;
  }
}
