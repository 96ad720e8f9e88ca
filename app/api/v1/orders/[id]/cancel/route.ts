import { runCommand } from "@/lib/core/command";
import { parseIdParam } from "@/lib/core/input-rules";
import { readOrderActionBody } from "@/lib/http/order-action-route";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { cancelOrderCommand } from "@/lib/orders/cancel-order";
import { readOrderDetail } from "@/lib/orders/order-response";

export const dynamic = "force-dynamic";

/** POST /api/v1/orders/{id}/cancel with { comment?, version? }: while allowed (a draft or waiting; once approved, with orders:cancel). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Order");
  const body = await readOrderActionBody(request);
  await runCommand(cancelOrderCommand, principal, meta, { ...body, orderId: id }, db);
  return respondJson(await readOrderDetail(principal, id, db));
});
