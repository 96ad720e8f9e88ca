import { orderActionBodySchema } from "./ordering-bodies";
import { readJsonBody } from "./read-json-body";
import { parseBody } from "./supplier-bodies";

/**
 * The body of POST /api/v1/orders/{id}/submit|approve|reject|cancel: `{ comment?, version? }`,
 * optional altogether (an action without a comment may be sent with no body).
 */
export async function readOrderActionBody(request: Request) {
  const raw = request.body === null || request.headers.get("content-length") === "0" ? {} : await readJsonBody(request);
  return parseBody(orderActionBodySchema, raw);
}
