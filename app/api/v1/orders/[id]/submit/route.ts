import { runCommand } from "@/lib/core/command";
import { parseIdParam } from "@/lib/core/input-rules";
import { readOrderActionBody } from "@/lib/http/order-action-route";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { notifyAfterSubmit } from "@/lib/approvals/notify";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { readOrderDetail } from "@/lib/orders/order-response";

export const dynamic = "force-dynamic";

/** POST /api/v1/orders/{id}/submit with { comment?, version? }: the rules decide: approved at once, or waiting for approval (the first tier's approvers are mailed). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Order");
  const body = await readOrderActionBody(request);
  const result = await runCommand(submitOrderCommand, principal, meta, { ...body, orderId: id }, db);
  await notifyAfterSubmit(principal, result, db);
  return respondJson(await readOrderDetail(principal, id, db));
});
