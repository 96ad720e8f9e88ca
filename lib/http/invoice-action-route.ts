import type { z } from "zod";
import { readJsonBody } from "./read-json-body";
import { parseBody } from "./supplier-bodies";

/**
 * The body of POST /api/v1/invoices/{id}/approve|dispute: `{ comment?, version? }` (a dispute's
 * comment is required, which its schema says); an approval may be sent with no body at all.
 */
export async function readInvoiceActionBody<S extends z.ZodType>(request: Request, schema: S, limit?: number): Promise<z.output<S>> {
  const raw = request.body === null || request.headers.get("content-length") === "0" ? {} : await readJsonBody(request, limit);
  return parseBody(schema, raw);
}
