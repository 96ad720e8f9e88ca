import { runCommand } from "@/lib/core/command";
import { parseIdParam } from "@/lib/core/input-rules";
import { readOrderActionBody } from "@/lib/http/order-action-route";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { notifyAfterDecision } from "@/lib/approvals/notify";
import { rejectOrderCommand } from "@/lib/orders/decide-order";
import { readOrderDetail } from "@/lib/orders/order-response";

export const dynamic = "force-dynamic";

/** POST /api/v1/orders/{id}/reject with { comment?, version? }: one rejection rejects the order. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Order");
  const body = await readOrderActionBody(request);
  const result = await runCommand(rejectOrderCommand, principal, meta, { ...body, orderId: id }, db);
  await notifyAfterDecision(principal, result, db);
  return respondJson(await readOrderDetail(principal, id, db));
});
