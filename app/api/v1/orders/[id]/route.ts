import { NotFoundError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { getOrder } from "@/lib/orders/get-order";
import { recordOrderReadDenialIfHidden } from "@/lib/orders/record-order-read-denied";
import { readAs } from "@/lib/core/read-as";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/orders/{id}. Missing, another tenant's, another branch's and malformed ids all get
 * the same 404, so the response never confirms that an id exists.
 */
export const GET = withApiPrincipal(async ({ principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Order");
  const order = await readAs(principal, (tx) => getOrder(tx, principal, id), db);
  if (!order) {
    await recordOrderReadDenialIfHidden(principal, meta, id, "api", db);
    throw new NotFoundError("Order");
  }
  return respondJson(order);
});
