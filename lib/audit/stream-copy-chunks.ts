// COPY ... TO STDOUT read in chunks of whole rows, for the chain verification (scan-chain.ts).
import type postgres from "postgres";

/**
 * Streams a COPY's rows in chunks of whole rows to `check`, one chunk at a time (the next chunk
 * is read while `check` hands the last to a worker). Rows are copied straight into reusable
 * chunk buffers (`spare`, refilled by `check` when a worker hands one back): fresh 512 KB buffers
 * per chunk cost more in page faults and collection than the hashing. Once `stop()` holds, the
 * rest is read to the end, so the connection stays usable, but not checked.
 */
export async function streamCopyChunks(
  sql: postgres.Sql,
  query: string,
  chunkBytes: number,
  check: (bytes: Buffer, release: (b: Buffer) => void) => Promise<void> | void,
  stop: () => boolean,
): Promise<void> {
  const stream = await sql.unsafe(`copy (${query}) to stdout`).readable();
  const spare: Buffer[] = [];
  // Only the standard size goes back to `spare`; a buffer grown for a long row is let go.
  const release = (b: Buffer) => void (b.buffer.byteLength === chunkBytes * 2 && spare.push(Buffer.from(b.buffer, 0, chunkBytes * 2)));
  const take = () => spare.pop() ?? Buffer.allocUnsafeSlow(chunkBytes * 2);
  let current = take();
  let used = 0;
  const flush = async () => {
    if (used === 0) return;
    const bytes = current.subarray(0, used);
    current = take();
    used = 0;
    if (!stop()) await check(bytes, release);
  };
  // COPY delivers one buffer per row: 'data' events, paused while a chunk is handed over, cost
  // far less per row than an async iterator's promise each.
  let handing = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    const readable = stream as NodeJS.ReadableStream & { destroy(error?: Error): void };
    readable.on("data", (chunk: Buffer) => {
      if (used + chunk.length > current.length) {
        // A row longer than the room left (a large metadata): a buffer of its own, never reused.
        const bigger = Buffer.allocUnsafeSlow(Math.max(current.length * 2, used + chunk.length));
        current.copy(bigger, 0, 0, used);
        release(current);
        current = bigger;
      }
      used += chunk.copy(current, used);
      if (used < chunkBytes || chunk[chunk.length - 1] !== 10) return;
      readable.pause();
      handing = flush().then(
        () => void readable.resume(),
        (error: unknown) => {
          readable.destroy(error as Error);
          reject(error as Error);
        },
      );
    });
    // 'end' can come while the last chunk is still being handed over (paused): it waits for that.
    // postgres.js pauses the socket when a row does not fit the stream's buffer and resumes it
    // when the stream is read again; if COPY's end arrived while it was paused, the stream has
    // ended and is never read again, so the socket would stay paused with the query's completion
    // unread, and the connection would hang for its next query (seen with two streams and small
    // chunks). Asking for more once more resumes it; on a flowing socket it does nothing.
    readable.on("end", () => {
      (stream as unknown as { _read?: (size: number) => void })._read?.(0);
      void handing.then(flush).then(resolve, reject);
    });
    readable.on("error", reject);
  });
}
