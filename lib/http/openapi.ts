import { z } from "zod";
import { orderDetailSchema, orderSummarySchema } from "@/lib/orders/schemas";
import { appVersion } from "./app-version";
import { buildAccessPaths, registerAccessSchemas } from "./openapi-access";
import { buildAuditPaths, registerAuditSchemas } from "./openapi-audit";
import { buildMemberPaths, registerMemberSchemas } from "./openapi-members";
import { buildSupplierPaths, registerSupplierSchemas } from "./openapi-supplier";
import { buildSsoPaths, registerSsoSchemas } from "./openapi-sso";
import { buildInvoicePaths, registerInvoiceSchemas } from "./openapi-invoices";
import { buildIntakePaths, intakeSecuritySchemes, registerIntakeSchemas } from "./openapi-intake";
import { buildDeadLetterPaths } from "./openapi-intake-dead-letters";
import { buildOrderingPaths, createOrderOperation, editOrderOperation, registerOrderingSchemas } from "./openapi-ordering";
import { PROBLEM_CONTENT_TYPE } from "./problem";
import { apiOrderListQuerySchema, healthSchema, orderIdParamSchema, orderPageSchema, problemSchema } from "./schemas";

type JsonSchema = z.core.JSONSchema.BaseSchema;
type ListParam = keyof typeof apiOrderListQuerySchema.shape;

// Prose only; every schema body below is generated from the zod schemas the routes validate with.
// Typed by the query schema's keys, so a new parameter fails the build until it is described.
const parameterDescriptions: Record<ListParam, string> = {
  sort: "Sort key.",
  dir: "Sort direction.",
  status: "Only orders in this status.",
  branch: "Only orders in this branch's subtree (within what the token may see).",
  buyer: "Only orders placed by this buyer (a user id).",
  from: "Only orders placed on or after this UTC day (YYYY-MM-DD).",
  to: "Only orders placed on or before this UTC day (YYYY-MM-DD); not before `from`.",
  q: "Order number prefix.",
  cursor: "The `nextCursor` of the previous page.",
  limit: "Page size.",
};

/** The OpenAPI 3.1 document of /api, generated from the zod schemas (JSON Schema 2020-12). */
export function buildOpenApiDocument() {
  const registry = z.registry<{ id: string }>();
  registry.add(orderSummarySchema, { id: "OrderSummary" });
  registry.add(orderDetailSchema, { id: "OrderDetail" });
  registry.add(orderPageSchema, { id: "OrderPage" });
  registry.add(problemSchema, { id: "Problem" });
  registry.add(healthSchema, { id: "Health" });
  registerAuditSchemas(registry);
  registerAccessSchemas(registry);
  registerSupplierSchemas(registry);
  registerMemberSchemas(registry);
  registerOrderingSchemas(registry);
  registerSsoSchemas(registry);
  registerInvoiceSchemas(registry);
  registerIntakeSchemas(registry);
  const generated = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}` });
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, schema]) => [id, withoutDialect(schema)]));

  return {
    openapi: "3.1.0",
    info: { title: "Countersign API", version: appVersion, description: "Orders, the audit trail, access management (branches, roles, grants, explanations), members, the supplier's catalog and accounts, branch addresses, ordering with approval rules and approvals, single sign-on settings (connections, domains, mapping rules and their dry run), invoices and approval delegates, order intake (a channel's payloads into the durable inbox, and what became of them), with bearer API tokens. See docs/api.md and docs/audit.md." },
    security: [{ bearerAuth: [] }],
    paths: {
      "/api/health": {
        get: {
          operationId: "getHealth",
          summary: "Liveness and readiness: database reachable and migrations current.",
          security: [],
          responses: { "200": json("Ready.", "Health"), "503": json("Not ready.", "Health") },
        },
      },
      "/api/v1/orders": {
        get: {
          operationId: "listOrders",
          summary: "One page of the orders the token's member may see.",
          parameters: buildQueryParameters(),
          responses: { "200": json("A page of orders.", "OrderPage"), "401": problemRef("Unauthorized"), "422": problemRef("ValidationFailed"), "500": problemRef("InternalError") },
        },
        post: createOrderOperation,
      },
      "/api/v1/orders/{id}": {
        get: {
          operationId: "getOrder",
          summary: "One order with its lines.",
          parameters: [{ name: "id", in: "path", required: true, schema: generate(orderIdParamSchema, "input") }],
          responses: { "200": json("The order.", "OrderDetail"), "401": problemRef("Unauthorized"), "404": problemRef("NotFound"), "500": problemRef("InternalError") },
        },
        patch: editOrderOperation,
      },
      ...buildAuditPaths(),
      ...buildAccessPaths(),
      ...buildSupplierPaths(),
      ...buildMemberPaths(),
      ...buildOrderingPaths(),
      ...buildSsoPaths(),
      ...buildInvoicePaths(),
      ...buildIntakePaths(),
      ...buildDeadLetterPaths(),
      "/api/v1/openapi.json": {
        get: { operationId: "getOpenApiDocument", summary: "This document.", security: [], responses: { "200": { description: "OpenAPI 3.1 document.", content: { "application/json": { schema: { type: "object" } } } } } },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (`cs_…`). It acts as one member of one organization, with that member's current rights." },
        ...intakeSecuritySchemes,
      },
      responses: {
        Unauthorized: problem("Missing or invalid token. Carries `WWW-Authenticate: Bearer`."),
        NotFound: problem("Not found, or not visible to this token: the two are indistinguishable."),
        ValidationFailed: problem("Invalid parameters; `errors` maps each parameter to its reasons."),
        InternalError: problem("Unexpected failure; quote `requestId` when reporting it."),
      },
    },
  };
}

/** Query parameters straight from the schema the route parses with (input side: defaults, coercion). */
function buildQueryParameters() {
  const schema = generate(apiOrderListQuerySchema, "input");
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: required.has(name),
    description: parameterDescriptions[name as ListParam],
    schema: property,
  }));
}

function generate(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  return withoutDialect(z.toJSONSchema(schema, { io }));
}

// Components are embedded in the document, whose dialect OpenAPI 3.1 already fixes; the
// generator's `$schema` and fragment-only `$id` would be invalid there.
function withoutDialect(schema: JsonSchema): JsonSchema {
  const rest = { ...schema };
  delete rest.$schema;
  delete rest.$id;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (description: string, name: string) => ({ description, content: { "application/json": { schema: ref(name) } } });
const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: ref("Problem") } } });
const problemRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
