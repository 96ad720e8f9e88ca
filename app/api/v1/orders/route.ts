import { runCommand } from "@/lib/core/command";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { apiOrderListQuerySchema, type ApiOrderPage } from "@/lib/http/schemas";
import { createOrderBodySchema } from "@/lib/http/ordering-bodies";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { notifyAfterSubmit } from "@/lib/approvals/notify";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { listOrders } from "@/lib/orders/list-orders";
import { readOrderDetail } from "@/lib/orders/order-response";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { readAs } from "@/lib/core/read-as";

export const dynamic = "force-dynamic";

/** GET /api/v1/orders: one keyset page of the orders the token's member may see. */
export const GET = withApiPrincipal(async ({ request, principal, db }) => {
  const query = parseQuery(apiOrderListQuerySchema, new URL(request.url).searchParams);
  const page = await readAs(principal, (tx) => listOrders(tx, principal, query), db);
  const body: ApiOrderPage = { data: page.data, nextCursor: page.nextCursor };
  return respondJson(body);
});

/**
 * POST /api/v1/orders: a draft priced from the catalog (orders:create at the branch); with
 * `submit: true` it is then submitted, and the rules decide (approved, or waiting).
 */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const { submit, ...draft } = parseBody(createOrderBodySchema, await readJsonBody(request));
  const order = await runCommand(draftOrderCommand, principal, meta, draft, db);
  if (submit) {
    const submitted = await runCommand(submitOrderCommand, principal, meta, { orderId: order.id }, db);
    await notifyAfterSubmit(principal, submitted, db);
  }
  return respondJson(await readOrderDetail(principal, order.id, db), 201);
});
