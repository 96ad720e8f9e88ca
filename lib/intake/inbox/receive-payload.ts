import { getDb, type Db } from "@/db/client";
import type { RequestMeta } from "@/lib/core/context";
import { NotFoundError, RateLimitedError, UnauthorizedError } from "@/lib/core/errors";
import { refuseApiToken } from "@/lib/identity/record-rejected-api-token";
import { readBearerToken } from "@/lib/http/read-bearer-token";
import { acceptBatched } from "./accept-batcher";
import type { AcceptedMessage } from "./accept-message";
import { assertBelowDepth } from "./check-backpressure";
import { bearerMatches, shopifyHmacMatches } from "./check-channel-credentials";
import { decodeContentEncoding, readContentCodings } from "./decode-content-encoding";
import { findAcceptingChannel } from "./find-accepting-channel";
import { readCappedBody } from "./read-capped-body";
import { keptHeaders } from "./kept-headers";

const BAD_CREDENTIALS = "The channel's credentials are missing or wrong.";

/**
 * A refused channel credential goes through the same tally as a refused API token (per client
 * address, lib/identity/refusal-tally.ts): the first in a window is audited as
 * `auth.api-token.rejected`, repeats are counted, and past the address's limit the answer is 429,
 * so guessing tokens or HMACs is both visible and slow.
 */
async function refuseCredential(db: Db, meta: RequestMeta, token: string | null): Promise<never> {
  const verdict = await refuseApiToken(db, meta, token ?? "");
  if (verdict.verdict === "throttled") throw new RateLimitedError(`Too many refused credentials from your address. Try again in ${verdict.retryAfterSeconds} seconds.`, verdict.retryAfterSeconds);
  throw new UnauthorizedError(BAD_CREDENTIALS);
}

/**
 * POST /api/v1/intake/channels/{id}/messages, in the order docs/adr/0026 fixes, every check
 * before any parsing: the channel exists and is active (404), its credential (401: the bearer
 * token; Shopify's HMAC header must be present before the body is read, and match after), the
 * body within the channel's limit (413, read with a cap; an unknown Content-Encoding is 415 before
 * the body is read), the channel's backlog (429 with Retry-After), the body decoded
 * (decode-content-encoding.ts: 413 past the same limit decoded, 400 when corrupt), then one
 * transaction that stores the bytes and enqueues the job (shared with payloads arriving at the
 * same moment: accept-batcher.ts). cXML carries its
 * shared secret inside the document, so the worker checks that one; here it needs the bearer.
 */
export async function receivePayload(request: Request, channelId: string, meta: RequestMeta, db: Db = getDb()): Promise<AcceptedMessage> {
  const channel = await findAcceptingChannel(channelId, db);
  if (!channel) throw new NotFoundError("Channel");
  const token = readBearerToken(request.headers);
  const hmac = request.headers.get("x-shopify-hmac-sha256");
  if (channel.format === "shopify") {
    // Shopify cannot send an Authorization header: its HMAC is the credential. A bearer, if sent, must still be right.
    if (!hmac || (token !== null && !bearerMatches(channel, token))) await refuseCredential(db, meta, token);
  } else if (!bearerMatches(channel, token)) {
    await refuseCredential(db, meta, token);
  }
  const codings = readContentCodings(request.headers.get("content-encoding"));
  const sent = await readCappedBody(request, channel.maxBodyBytes);
  // Shopify signs the bytes it sent, so the HMAC is over the body before it is decoded.
  if (channel.format === "shopify" && !shopifyHmacMatches(channel, sent, hmac)) await refuseCredential(db, meta, token);
  // Before decompressing: a backed-up channel refuses without spending the CPU.
  await assertBelowDepth(channel, db);
  const raw = codings.length ? await decodeContentEncoding(sent, codings, channel.maxBodyBytes) : sent;
  return acceptBatched(channel, raw, keptHeaders(request.headers), meta, db);
}
