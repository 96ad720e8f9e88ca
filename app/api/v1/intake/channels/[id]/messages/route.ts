import { parseIdParam } from "@/lib/core/input-rules";
import { readRequestMeta } from "@/lib/core/request-meta";
import { toProblemResponse } from "@/lib/http/problem";
import { respondJson } from "@/lib/http/respond-json";
import { receivePayload } from "@/lib/intake/inbox/receive-payload";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/intake/channels/{id}/messages: a partner's raw payload into the durable inbox.
 * 202 `{ id, status }` once stored; the channel's own credential, not a member's API token
 * (lib/intake/inbox/receive-payload.ts says which checks run, in which order).
 */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const meta = readRequestMeta(request.headers);
  try {
    const channelId = parseIdParam((await params).id, "Channel");
    const accepted = await receivePayload(request, channelId, meta);
    return respondJson({ id: accepted.id, status: accepted.status }, 202);
  } catch (error) {
    return toProblemResponse(error, request, meta);
  }
}
