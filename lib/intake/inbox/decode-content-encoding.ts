import { promisify } from "node:util";
import zlib from "node:zlib";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from "@/lib/core/errors";

// Content-Encoding on acceptance. The inbox stores the payload decoded, so its raw bytes, its
// SHA-256 (the same bytes again are the same message) and everything the worker parses are of the
// payload itself: a gzip re-send of a plain order is the same message, and the worker never needs
// to know how it travelled. The Shopify HMAC is checked before this, over the bytes as sent (what
// Shopify signs); the channel's body limit applies to the bytes as sent and again to the decoded
// payload, so a small compressed body cannot become a huge stored one.

type Decoder = (input: Buffer, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>;

const gunzip = promisify(zlib.gunzip) as Decoder;
const inflate = promisify(zlib.inflate) as Decoder;
const inflateRaw = promisify(zlib.inflateRaw) as Decoder;
const brotli = promisify(zlib.brotliDecompress) as Decoder;

// HTTP's "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2), but some senders send a bare deflate stream:
// the zlib header check tells them apart, so both are read.
const inflateEither: Decoder = async (input, options) => {
  try {
    return await inflate(input, options);
  } catch (error) {
    if ((error as { code?: string }).code === "Z_DATA_ERROR" && /header/i.test((error as Error).message)) return inflateRaw(input, options);
    throw error;
  }
};

const DECODERS: Record<string, Decoder> = { gzip: gunzip, "x-gzip": gunzip, deflate: inflateEither, br: brotli };
const NAMES: Record<string, string> = { gzip: "gzip", "x-gzip": "gzip", deflate: "deflate", br: "brotli (br)" };
// Two layers cover every real sender; more is only a way to make the server work.
const MAX_CODINGS = 2;

/**
 * The codings of a Content-Encoding header, in the order they were applied (identity dropped);
 * 415 naming an unknown one. Checked before the body is read.
 */
export function readContentCodings(header: string | null): string[] {
  const codings = (header ?? "").split(",").map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && c !== "identity");
  for (const c of codings) {
    if (!(c in DECODERS)) throw new UnsupportedMediaTypeError(`Content-Encoding "${c.slice(0, 40)}" is not supported: send the body as gzip, deflate, br or identity.`);
  }
  if (codings.length > MAX_CODINGS) throw new UnsupportedMediaTypeError(`Content-Encoding lists ${codings.length} codings; at most ${MAX_CODINGS} are decoded.`);
  return codings;
}

/**
 * The body with its codings undone, last applied first. zlib's maxOutputLength stops each
 * decompression as soon as its output passes `limit` (it counts while inflating, chunk by
 * chunk), so a zip bomb costs at most `limit` bytes before the 413.
 */
export async function decodeContentEncoding(body: Buffer, codings: string[], limit: number): Promise<Buffer> {
  let bytes = body;
  for (const coding of [...codings].reverse()) {
    try {
      bytes = await DECODERS[coding]!(bytes, { maxOutputLength: Math.max(1, limit) });
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw new PayloadTooLargeError(limit, "The request body, decompressed,");
      throw new BadRequestError(`The body is not valid ${NAMES[coding]}: ${(error as Error).message}.`);
    }
  }
  return bytes;
}
