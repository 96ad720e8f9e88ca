import { createProductCommand } from "@/lib/catalog/create-product";
import { getCatalogProduct } from "@/lib/catalog/get-product";
import { listCatalog } from "@/lib/catalog/list-products";
import { readCatalog } from "@/lib/catalog/read-catalog";
import { productListQuerySchema } from "@/lib/catalog/schemas";
import { runCommand } from "@/lib/core/command";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/catalog/products: a keyset page of the catalog. A customer's member sees active
 * products at their account's prices; the supplier's staff see everything with every list price.
 */
export const GET = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const query = parseQuery(productListQuerySchema, new URL(request.url).searchParams);
  return respondJson(await readCatalog(principal, meta, (tx, viewer) => listCatalog(tx, viewer, query), db));
});

/** POST /api/v1/catalog/products: the supplier adds a product (catalog:manage). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const created = await runCommand(createProductCommand, principal, meta, await readJsonBody(request), db);
  return respondJson(await readCatalog(principal, meta, (tx, viewer) => getCatalogProduct(tx, viewer, created.id), db), 201);
});
