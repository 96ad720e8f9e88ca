import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { editOrderBodySchema } from "@/lib/http/ordering-bodies";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { editDraftCommand } from "@/lib/orders/edit-draft";
import { getOrder } from "@/lib/orders/get-order";
import { readOrderDetail } from "@/lib/orders/order-response";
import { recordOrderReadDenialIfHidden } from "@/lib/orders/record-order-read-denied";
import { readAs } from "@/lib/core/read-as";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/**
 * GET /api/v1/orders/{id}. Missing, another tenant's, another branch's and malformed ids all get
 * the same 404, so the response never confirms that an id exists.
 */
export const GET = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Order");
  const order = await readAs(principal, (tx) => getOrder(tx, principal, id), db);
  if (!order) {
    await recordOrderReadDenialIfHidden(principal, meta, id, "api", db);
    throw new NotFoundError("Order");
  }
  return respondJson(order);
});

/** PATCH /api/v1/orders/{id}: edits a draft (lines re-priced from the catalog). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Order");
  const body = parseBody(editOrderBodySchema, await readJsonBody(request));
  await runCommand(editDraftCommand, principal, meta, { ...body, orderId: id }, db);
  return respondJson(await readOrderDetail(principal, id, db));
});
