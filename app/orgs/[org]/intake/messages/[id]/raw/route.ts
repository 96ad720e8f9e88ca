import { AppError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { readRawMessage } from "@/lib/intake/inbox/read-message";
import { loadViewer } from "../../../../../../load-viewer";

export const dynamic = "force-dynamic";

const notFound = () => new Response("Not found.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * GET: a dead letter's raw payload for the Intake page's "raw payload" link, as the signed-in
 * member (the API route of the same bytes takes only a bearer token, which a browser never sends).
 * readRawMessage does every check (supplier member, intake:manage); any refusal is a 404 here, and
 * the bytes go out as an attachment with nosniff, so a stored payload never renders as a page.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }): Promise<Response> {
  const viewer = await loadViewer();
  const { org, id } = await params;
  const principal = viewer ? await loadSessionPrincipal(viewer, org) : null;
  if (!principal) return notFound();
  try {
    const messageId = parseIdParam(id, "Message");
    const message = await readAs(principal, (tx) => readRawMessage(tx, principal, messageId));
    return new Response(new Uint8Array(message.raw), {
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="intake-${messageId}.bin"`,
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError) return notFound();
    throw error;
  }
}
