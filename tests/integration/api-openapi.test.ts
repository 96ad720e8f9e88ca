import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { explainRequestSchema } from "@/lib/access/explain-member-access";
import { createBranchSchema } from "@/lib/branches/schemas";
import { addGrantSchema } from "@/lib/grants/schemas";
import { accessExplanationSchema, updateRoleBodySchema } from "@/lib/http/openapi-access";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { apiOrderListQuerySchema, problemSchema } from "@/lib/http/schemas";
import { orderDetailSchema, orderSummarySchema } from "@/lib/orders/schemas";
import { createRoleSchema } from "@/lib/roles/schemas";
import { invoiceSchema, issueInvoiceSchema } from "@/lib/invoices/schemas";
import { accountSummarySchema, openAccountSchema } from "@/lib/accounts/schemas";
import { catalogProductSchema, createProductSchema, productListQuerySchema } from "@/lib/catalog/schemas";

type SchemaObject = { properties?: Record<string, unknown>; required?: string[] };

/** Every `$ref` in the document, wherever it sits. */
function collectRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, found));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") found.push(value);
      else collectRefs(value, found);
    }
  }
  return found;
}

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document with every route, the schemas and the bearer scheme", async () => {
    const response = GET();
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/health",
      "/api/v1/access/explain",
      "/api/v1/accounts",
      "/api/v1/accounts/{id}",
      "/api/v1/approval-delegations",
      "/api/v1/approval-delegations/{id}",
      "/api/v1/approval-rules",
      "/api/v1/approval-rules/dry-run",
      "/api/v1/approval-rules/{id}",
      "/api/v1/approvals",
      "/api/v1/audit/events",
      "/api/v1/audit/export",
      "/api/v1/audit/public-key",
      "/api/v1/audit/verify",
      "/api/v1/branches",
      "/api/v1/branches/{id}",
      "/api/v1/branches/{id}/addresses",
      "/api/v1/branches/{id}/addresses/{addressId}",
      "/api/v1/catalog/products",
      "/api/v1/catalog/products/{id}",
      "/api/v1/catalog/products/{id}/account-prices",
      "/api/v1/grants",
      "/api/v1/grants/{id}",
      "/api/v1/intake/channels/{id}/messages",
      "/api/v1/intake/dead-letters",
      "/api/v1/intake/dead-letters/{id}/discard",
      "/api/v1/intake/dead-letters/{id}/replay",
      "/api/v1/intake/messages/{id}",
      "/api/v1/intake/messages/{id}/raw",
      "/api/v1/invoices",
      "/api/v1/invoices/{id}",
      "/api/v1/invoices/{id}/approve",
      "/api/v1/invoices/{id}/dispute",
      "/api/v1/members",
      "/api/v1/members/{id}",
      "/api/v1/members/{id}/sessions/revoke",
      "/api/v1/openapi.json",
      "/api/v1/orders",
      "/api/v1/orders/{id}",
      "/api/v1/orders/{id}/approve",
      "/api/v1/orders/{id}/cancel",
      "/api/v1/orders/{id}/reject",
      "/api/v1/orders/{id}/submit",
      "/api/v1/roles",
      "/api/v1/roles/{id}",
      "/api/v1/sso/connections",
      "/api/v1/sso/connections/{id}",
      "/api/v1/sso/domains",
      "/api/v1/sso/domains/{id}",
      "/api/v1/sso/domains/{id}/verify",
      "/api/v1/sso/mappings",
      "/api/v1/sso/mappings/dry-run",
      "/api/v1/sso/mappings/{id}",
    ]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const name of ["OrderSummary", "OrderDetail", "OrderPage", "Problem", "Health", "Invoice", "InvoicePage"]) {
      const schema = doc.components.schemas[name];
      expect(schema?.properties, name).toBeTypeOf("object");
      expect(schema.$schema, name).toBeUndefined();
    }
    expect(doc.paths["/api/health"].get.security).toEqual([]);
  });

  it("is generated from the zod schemas, not written by hand", () => {
    const doc = buildOpenApiDocument();
    const schemas = doc.components.schemas as Record<string, SchemaObject>;
    expect(Object.keys(schemas.OrderSummary!.properties!)).toEqual(Object.keys(orderSummarySchema.shape));
    expect(Object.keys(schemas.OrderDetail!.properties!)).toEqual(Object.keys(orderDetailSchema.shape));
    expect(Object.keys(schemas.Problem!.properties!)).toEqual(Object.keys(problemSchema.shape));
    const params = doc.paths["/api/v1/orders"].get.parameters;
    expect(params.map((p) => p.name)).toEqual(Object.keys(apiOrderListQuerySchema.shape));
    expect(params.find((p) => p.name === "limit")?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200, default: 50 });
  });

  it("describes the access operations from the schemas their commands validate with", () => {
    const doc = buildOpenApiDocument();
    const paths = doc.paths as unknown as Record<string, Record<string, { operationId: string; security?: unknown; requestBody?: { content: Record<string, { schema: SchemaObject }> }; responses: Record<string, unknown> }>>;
    const bodyOf = (path: string, method: string) => paths[path]![method]!.requestBody!.content["application/json"]!.schema;
    const operations = [
      ["/api/v1/branches", "post", "createBranch"],
      ["/api/v1/branches/{id}", "patch", "updateBranch"],
      ["/api/v1/roles", "post", "createRole"],
      ["/api/v1/roles/{id}", "patch", "updateRole"],
      ["/api/v1/roles/{id}", "delete", "deleteRole"],
      ["/api/v1/grants", "post", "addGrant"],
      ["/api/v1/grants/{id}", "delete", "revokeGrant"],
      ["/api/v1/access/explain", "post", "explainAccess"],
    ] as const;
    for (const [path, method, operationId] of operations) {
      const operation = paths[path]![method]!;
      expect(operation.operationId).toBe(operationId);
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
      for (const status of ["401", "403", "404", "422"]) expect(operation.responses[status], `${operationId} ${status}`).toBeDefined();
      if (operation.requestBody) expect(operation.responses["413"], `${operationId} 413`).toBeDefined();
    }
    expect(Object.keys(bodyOf("/api/v1/branches", "post").properties!)).toEqual(Object.keys(createBranchSchema.shape));
    expect(Object.keys(bodyOf("/api/v1/roles", "post").properties!)).toEqual(Object.keys(createRoleSchema.shape));
    // Input side: fields with defaults are optional for the client.
    expect(bodyOf("/api/v1/roles", "post").required).toEqual(["name"]);
    expect(Object.keys(bodyOf("/api/v1/roles/{id}", "patch").properties!)).toEqual(Object.keys(updateRoleBodySchema.shape));
    expect(Object.keys(bodyOf("/api/v1/branches/{id}", "patch").properties!)).toEqual(["name", "parentId"]);
    expect(Object.keys(bodyOf("/api/v1/grants", "post").properties!)).toEqual(Object.keys(addGrantSchema.shape));
    expect(bodyOf("/api/v1/grants", "post").properties!.expiresAt).toEqual({ anyOf: [{ type: "string", format: "date-time" }, { type: "null" }] });
    expect(Object.keys(bodyOf("/api/v1/access/explain", "post").properties!)).toEqual(Object.keys(explainRequestSchema.shape));
    const schemas = doc.components.schemas as Record<string, SchemaObject>;
    expect(Object.keys(schemas.AccessExplanation!.properties!)).toEqual(Object.keys(accessExplanationSchema.shape));
  });

  it("describes the catalog, accounts and branch addresses from the schemas they validate with", () => {
    const doc = buildOpenApiDocument();
    const paths = doc.paths as unknown as Record<string, Record<string, { operationId: string; security?: unknown; parameters?: Array<{ name: string }>; requestBody?: { content: Record<string, { schema: SchemaObject }> }; responses: Record<string, unknown> }>>;
    const operations = [
      ["/api/v1/catalog/products", "get", "listCatalogProducts"],
      ["/api/v1/catalog/products", "post", "createCatalogProduct"],
      ["/api/v1/catalog/products/{id}", "get", "getCatalogProduct"],
      ["/api/v1/catalog/products/{id}", "patch", "updateCatalogProduct"],
      ["/api/v1/catalog/products/{id}", "delete", "deleteCatalogProduct"],
      ["/api/v1/catalog/products/{id}/account-prices", "put", "setAccountPrice"],
      ["/api/v1/catalog/products/{id}/account-prices", "delete", "removeAccountPrice"],
      ["/api/v1/accounts", "get", "listAccounts"],
      ["/api/v1/accounts", "post", "openAccount"],
      ["/api/v1/accounts/{id}", "get", "getAccount"],
      ["/api/v1/accounts/{id}", "patch", "updateAccount"],
      ["/api/v1/branches/{id}/addresses", "get", "listBranchAddresses"],
      ["/api/v1/branches/{id}/addresses", "post", "addBranchAddress"],
      ["/api/v1/branches/{id}/addresses/{addressId}", "patch", "updateBranchAddress"],
      ["/api/v1/branches/{id}/addresses/{addressId}", "delete", "removeBranchAddress"],
    ] as const;
    for (const [path, method, operationId] of operations) {
      const operation = paths[path]![method]!;
      expect(operation.operationId).toBe(operationId);
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
      for (const status of ["401", "403", "404", "422"]) expect(operation.responses[status], `${operationId} ${status}`).toBeDefined();
      if (operation.requestBody) expect(operation.responses["413"], `${operationId} 413`).toBeDefined();
    }
    const bodyOf = (path: string, method: string) => paths[path]![method]!.requestBody!.content["application/json"]!.schema;
    expect(Object.keys(bodyOf("/api/v1/catalog/products", "post").properties!).sort()).toEqual(Object.keys(createProductSchema.shape).sort());
    expect(Object.keys(bodyOf("/api/v1/accounts", "post").properties!)).toEqual(Object.keys(openAccountSchema.shape));
    expect(paths["/api/v1/catalog/products"]!.get!.parameters!.map((p) => p.name)).toEqual(Object.keys(productListQuerySchema.shape));
    const schemas = doc.components.schemas as Record<string, SchemaObject>;
    expect(Object.keys(schemas.CatalogProduct!.properties!)).toEqual(Object.keys(catalogProductSchema.shape));
    expect(Object.keys(schemas.Account!.properties!)).toEqual(Object.keys(accountSummarySchema.shape));
  });

  it("resolves every $ref inside the document", () => {
    const doc = buildOpenApiDocument();
    const refs = collectRefs(doc);
    expect(refs).toContain("#/components/schemas/OrderSummary");
    for (const ref of refs) {
      const target = ref.replace(/^#\//, "").split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeTypeOf("object");
    }
  });

  it("describes the invoice and delegation operations from the schemas their routes validate with", () => {
    const doc = buildOpenApiDocument();
    const paths = doc.paths as unknown as Record<string, Record<string, { operationId: string; security?: unknown; requestBody?: { content: Record<string, { schema: SchemaObject }> }; responses: Record<string, unknown> }>>;
    const operations = [
      ["/api/v1/invoices", "get", "listInvoices"],
      ["/api/v1/invoices", "post", "issueInvoice"],
      ["/api/v1/invoices/{id}", "get", "getInvoice"],
      ["/api/v1/invoices/{id}/approve", "post", "approveInvoice"],
      ["/api/v1/invoices/{id}/dispute", "post", "disputeInvoice"],
      ["/api/v1/approval-delegations", "get", "listApprovalDelegations"],
      ["/api/v1/approval-delegations", "post", "createApprovalDelegation"],
      ["/api/v1/approval-delegations/{id}", "get", "getApprovalDelegation"],
      ["/api/v1/approval-delegations/{id}", "delete", "endApprovalDelegation"],
    ] as const;
    for (const [path, method, operationId] of operations) {
      const operation = paths[path]![method]!;
      expect(operation.operationId).toBe(operationId);
      expect(operation.security).toEqual([{ bearerAuth: [] }]);
      for (const status of ["401", "403", "404", "422"]) expect(operation.responses[status], `${operationId} ${status}`).toBeDefined();
    }
    for (const path of ["/api/v1/invoices/{id}/approve", "/api/v1/invoices/{id}/dispute"]) expect(paths[path]!.post!.responses["409"]).toBeDefined();
    const issueBody = paths["/api/v1/invoices"]!.post!.requestBody!.content["application/json"]!.schema;
    // No amount field: the amount is the order's.
    expect(Object.keys(issueBody.properties!)).toEqual(Object.keys(issueInvoiceSchema.shape));
    expect((issueBody as { additionalProperties?: unknown }).additionalProperties).toBe(false);
    expect(Object.keys((doc.components.schemas as Record<string, SchemaObject>).Invoice!.properties!)).toEqual(Object.keys(invoiceSchema.shape));
  });
});
