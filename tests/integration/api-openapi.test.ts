import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { apiOrderListQuerySchema, problemSchema } from "@/lib/http/schemas";
import { orderDetailSchema, orderSummarySchema } from "@/lib/orders/schemas";

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
      "/api/v1/audit/events",
      "/api/v1/audit/export",
      "/api/v1/audit/public-key",
      "/api/v1/audit/verify",
      "/api/v1/openapi.json",
      "/api/v1/orders",
      "/api/v1/orders/{id}",
    ]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const name of ["OrderSummary", "OrderDetail", "OrderPage", "Problem", "Health"]) {
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

  it("resolves every $ref inside the document", () => {
    const doc = buildOpenApiDocument();
    const refs = collectRefs(doc);
    expect(refs).toContain("#/components/schemas/OrderSummary");
    for (const ref of refs) {
      const target = ref.replace(/^#\//, "").split("/").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeTypeOf("object");
    }
  });
});
