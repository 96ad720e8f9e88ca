import { z } from "zod";
import { approveInvoiceBodySchema, disputeInvoiceBodySchema, invoicePageSchema, invoiceSchema, invoicesQuerySchema, issueInvoiceSchema } from "@/lib/invoices/schemas";
import { PROBLEM_CONTENT_TYPE } from "./problem";

type JsonSchema = z.core.JSONSchema.BaseSchema;

/*
 * Invoices: the supplier issues one per placed order (its amount is the order's); the account's
 * members with invoices:read list them, those with invoices:approve approve or dispute them.
 * Bodies are generated from the schemas the routes validate with.
 */

export function registerInvoiceSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(invoiceSchema, { id: "Invoice" });
  registry.add(invoicePageSchema, { id: "InvoicePage" });
}

const idParam = { name: "id", in: "path", required: true, description: "The invoice's id.", schema: { type: "string", format: "uuid" } };

function decision(name: "approve" | "dispute", summary: string, body: z.ZodType) {
  return {
    post: {
      operationId: `${name}Invoice`,
      security: [{ bearerAuth: [] }],
      summary,
      parameters: [idParam],
      requestBody: { required: name === "dispute", content: { "application/json": { schema: generate(body) } } },
      responses: responses({ "200": json("The invoice as it is now.", "Invoice") }, { conflict: "Already approved or disputed, or `version` is stale." }),
    },
  };
}

export function buildInvoicePaths(): Record<string, Record<string, unknown>> {
  return {
    "/api/v1/invoices": {
      get: {
        operationId: "listInvoices",
        security: [{ bearerAuth: [] }],
        summary: "The invoices of the branches where the caller holds invoices:read, newest first, in keyset pages.",
        parameters: queryParameters(invoicesQuerySchema, { status: "Only invoices in this status.", cursor: "The `nextCursor` of the previous page.", limit: "Page size." }),
        responses: responses({ "200": json("A page of invoices.", "InvoicePage") }, { body: false }),
      },
      post: {
        operationId: "issueInvoice",
        security: [{ bearerAuth: [] }],
        summary: "Supplier staff with invoices:issue invoice one placed (approved or fulfilled) order of an account. The amounts and currency are the order's, copied on the server; a client's amount is refused as an unknown field. One invoice per order. Audited as `invoice.issued`.",
        requestBody: { required: true, content: { "application/json": { schema: generate(issueInvoiceSchema) } } },
        responses: responses({ "201": json("The invoice.", "Invoice") }, { conflict: "The order is not placed, or already has an invoice." }),
      },
    },
    "/api/v1/invoices/{id}": {
      get: { operationId: "getInvoice", security: [{ bearerAuth: [] }], summary: "One invoice, within the caller's invoices:read scope.", parameters: [idParam], responses: responses({ "200": json("The invoice.", "Invoice") }, { body: false }) },
    },
    "/api/v1/invoices/{id}/approve": decision("approve", "Approves an issued invoice: invoices:approve at the order's branch, an approval limit at or above the invoice's base-currency total, and never the invoice of one's own order. Audited as `invoice.approved`.", approveInvoiceBodySchema),
    "/api/v1/invoices/{id}/dispute": decision("dispute", "Disputes an issued invoice, saying why in `comment` (required); the same eligibility as approving. Audited as `invoice.disputed`.", disputeInvoiceBodySchema),
  };
}

function responses(ok: Record<string, unknown>, options: { body?: boolean; conflict?: string }) {
  return {
    ...ok,
    "401": problem("Missing or invalid token."),
    "403": problem("Visible, but the caller lacks the permission or is not eligible (the reason is in `detail`: the limit, their own order); or a customer calling a supplier-only route."),
    "404": problem("Not found, or not visible to this token: the two are indistinguishable."),
    ...(options.conflict ? { "409": problem(options.conflict) } : {}),
    ...(options.body === false ? {} : { "413": problem("Body too large.") }),
    "422": problem("Invalid input; `errors` maps each field (such as `orderId`, `comment`, `version`) to its reasons."),
  };
}

function generate(schema: z.ZodType): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

function queryParameters(schema: z.ZodType, descriptions: Record<string, string>) {
  const generated = generate(schema);
  const required = new Set(generated.required ?? []);
  return Object.entries(generated.properties ?? {}).map(([name, property]) => ({ name, in: "query", required: required.has(name), description: descriptions[name], schema: property }));
}

function json(description: string, name: string) {
  return { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } };
}
function problem(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } };
}
