import { parseQuery } from "@/lib/http/parse-query";
import { respondJson } from "@/lib/http/respond-json";
import { apiOrderListQuerySchema, type ApiOrderPage } from "@/lib/http/schemas";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { listOrders } from "@/lib/orders/list-orders";
import { readAs } from "@/lib/core/read-as";

export const dynamic = "force-dynamic";

/** GET /api/v1/orders: one keyset page of the orders the token's member may see. */
export const GET = withApiPrincipal(async ({ request, principal, db }) => {
  const query = parseQuery(apiOrderListQuerySchema, new URL(request.url).searchParams);
  const page = await readAs(principal, (tx) => listOrders(tx, principal, query), db);
  const body: ApiOrderPage = { data: page.data, nextCursor: page.nextCursor };
  return respondJson(body);
});
