import { runCommand } from "@/lib/core/command";
import { parseIdParam } from "@/lib/core/input-rules";
import { readInvoiceActionBody } from "@/lib/http/invoice-action-route";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { discardDeadLetterCommand } from "@/lib/intake/dead-letters/discard-dead-letter";
import { discardBodySchema } from "@/lib/intake/dead-letters/schemas";

export const dynamic = "force-dynamic";

/** POST /api/v1/intake/dead-letters/{id}/discard, body `{ reason }`: closed without processing, audited with the reason. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Dead letter");
  const body = await readInvoiceActionBody(request, discardBodySchema);
  return respondJson(await runCommand(discardDeadLetterCommand, principal, meta, { deadLetterId: id, reason: body.reason }, db));
});
