import { deleteProductCommand } from "@/lib/catalog/delete-product";
import { getCatalogProduct } from "@/lib/catalog/get-product";
import { readCatalog } from "@/lib/catalog/read-catalog";
import { updateProductCommand } from "@/lib/catalog/update-product";
import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody, productDetailQuerySchema, updateProductBodySchema } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/catalog/products/{id}?currency=: one product at the caller's price (and, for the supplier, every price). */
export const GET = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const { currency } = parseQuery(productDetailQuerySchema, new URL(request.url).searchParams);
  const product = await readCatalog(principal, meta, (tx, viewer) => getCatalogProduct(tx, viewer, id, currency), db);
  if (!product) throw new NotFoundError("Product");
  return respondJson(product);
});

/** PATCH /api/v1/catalog/products/{id}: fields, active flag and/or the whole list-price set (catalog:manage). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = parseBody(updateProductBodySchema, await readJsonBody(request));
  await runCommand(updateProductCommand, principal, meta, { ...body, productId: id }, db);
  return respondJson(await readCatalog(principal, meta, (tx, viewer) => getCatalogProduct(tx, viewer, id), db));
});

/** DELETE /api/v1/catalog/products/{id} (catalog:manage). Orders keep their own copy of each line. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  return respondJson(await runCommand(deleteProductCommand, principal, meta, { productId: id }, db));
});
