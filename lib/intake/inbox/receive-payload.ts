import { getDb, type Db } from "@/db/client";
import type { RequestMeta } from "@/lib/core/context";
import { NotFoundError, UnauthorizedError } from "@/lib/core/errors";
import { readBearerToken } from "@/lib/http/read-bearer-token";
import { acceptBatched } from "./accept-batcher";
import type { AcceptedMessage } from "./accept-message";
import { assertBelowDepth } from "./check-backpressure";
import { bearerMatches, shopifyHmacMatches } from "./check-channel-credentials";
import { findAcceptingChannel } from "./find-accepting-channel";
import { readCappedBody } from "./read-capped-body";
import { keptHeaders } from "./kept-headers";

const BAD_CREDENTIALS = "The channel's credentials are missing or wrong.";

/**
 * POST /api/v1/intake/channels/{id}/messages, in the order docs/adr/0026 fixes, every check
 * before any parsing: the channel exists and is active (404), its credential (401: the bearer
 * token; Shopify's HMAC header must be present before the body is read, and match after), the
 * body within the channel's limit (413, read with a cap), the channel's backlog (429 with
 * Retry-After), then one transaction that stores the bytes and enqueues the job (shared with
 * payloads arriving at the same moment: accept-batcher.ts). cXML carries its
 * shared secret inside the document, so the worker checks that one; here it needs the bearer.
 */
export async function receivePayload(request: Request, channelId: string, meta: RequestMeta, db: Db = getDb()): Promise<AcceptedMessage> {
  const channel = await findAcceptingChannel(channelId, db);
  if (!channel) throw new NotFoundError("Channel");
  const token = readBearerToken(request.headers);
  const hmac = request.headers.get("x-shopify-hmac-sha256");
  if (channel.format === "shopify") {
    // Shopify cannot send an Authorization header: its HMAC is the credential. A bearer, if sent, must still be right.
    if (!hmac || (token !== null && !bearerMatches(channel, token))) throw new UnauthorizedError(BAD_CREDENTIALS);
  } else if (!bearerMatches(channel, token)) {
    throw new UnauthorizedError(BAD_CREDENTIALS);
  }
  const raw = await readCappedBody(request, channel.maxBodyBytes);
  if (channel.format === "shopify" && !shopifyHmacMatches(channel, raw, hmac)) throw new UnauthorizedError(BAD_CREDENTIALS);
  await assertBelowDepth(channel, db);
  return acceptBatched(channel, raw, keptHeaders(request.headers), meta, db);
}
