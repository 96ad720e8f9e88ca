import { readAs } from "@/lib/core/read-as";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { readMessage } from "@/lib/intake/inbox/read-message";

export const dynamic = "force-dynamic";

/** GET /api/v1/intake/messages/{id}: a message's status and its documents' outcomes, for the supplier's members. */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return respondJson(await readAs(principal, (tx) => readMessage(tx, principal, id), db));
});
