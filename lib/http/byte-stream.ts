import type { RequestMeta } from "@/lib/core/context";

/* Streaming a large download (the audit export, an order list's CSV) without holding it in memory. */

/** Takes chunks until `enough()` holds (or the export ends), so the first reads happen before any byte is sent. */
export async function readUntil(chunks: AsyncGenerator<string>, enough: () => boolean): Promise<string[]> {
  const head: string[] = [];
  while (!enough()) {
    const { value, done } = await chunks.next();
    if (done) break;
    head.push(value);
  }
  return head;
}

// Pull-based: the next batch is read from PostgreSQL only when the client has taken the last
// one, so a slow download never piles rows up in memory.
export function toByteStream(head: string[], chunks: AsyncGenerator<string>, meta: RequestMeta, what: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buffered = head.shift();
      if (buffered !== undefined) return controller.enqueue(encoder.encode(buffered));
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        // Headers are gone by now: the client sees a cut-off body (no "end" record), the log the cause.
        console.error(`[${what}] failed mid-stream, request ${meta.requestId}:`, error);
        controller.error(new Error(`export failed; request id ${meta.requestId}`));
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
