import { runCommand } from "@/lib/core/command";
import { parseIdParam } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { readInvoiceActionBody } from "@/lib/http/invoice-action-route";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { correctDeadLetterCommand } from "@/lib/intake/dead-letters/correct-dead-letter";
import { processReplay } from "@/lib/intake/dead-letters/process-replay";
import { replayDeadLetterCommand } from "@/lib/intake/dead-letters/replay-dead-letter";
import { replayBodySchema } from "@/lib/intake/dead-letters/schemas";
import { readMessage } from "@/lib/intake/inbox/read-message";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/intake/dead-letters/{id}/replay, body `{ payload? }` (a corrected payload as text, or
 * none): processes the message again and answers its read-back (`{ id, channelId, status, documents }`).
 */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Dead letter");
  const body = await readInvoiceActionBody(request, replayBodySchema, 1_100_000);
  // Each step is its own audited command: the correction (if given), then the replay itself.
  if (body.payload !== undefined) await runCommand(correctDeadLetterCommand, principal, meta, { deadLetterId: id, payload: body.payload }, db);
  const replayed = await runCommand(replayDeadLetterCommand, principal, meta, { deadLetterId: id }, db);
  await processReplay(replayed, db);
  return respondJson({ deadLetterId: id, message: await readAs(principal, (tx) => readMessage(tx, principal, replayed.messageId), db) });
});
