import { readAs } from "@/lib/core/read-as";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { readRawMessage } from "@/lib/intake/inbox/read-message";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/intake/messages/{id}/raw: the bytes exactly as received, under intake:manage. Sent
 * as an attachment of type application/octet-stream with nosniff, so a stored payload can never
 * render as a page in anyone's browser.
 */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const message = await readAs(principal, (tx) => readRawMessage(tx, principal, id), db);
  return new Response(new Uint8Array(message.raw), {
    status: 200,
    headers: {
      "Content-Type": "application/octet-stream",
      "Content-Disposition": `attachment; filename="intake-${id}.bin"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
      "X-Original-Content-Type": (message.contentType ?? "").replace(/[^\x20-\x7e]/g, "").slice(0, 200),
      Digest: `sha-256=${Buffer.from(message.sha256, "hex").toString("base64")}`,
    },
  });
});
