import { removeAccountPriceCommand, setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { runCommand } from "@/lib/core/command";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody, removeAccountPriceQuerySchema, setAccountPriceBodySchema } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** PUT /api/v1/catalog/products/{id}/account-prices { accountId, currency, unitPriceMinor }: one account's own price (accounts:manage). */
export const PUT = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = parseBody(setAccountPriceBodySchema, await readJsonBody(request));
  return respondJson(await runCommand(setAccountPriceCommand, principal, meta, { ...body, productId: id }, db));
});

/** DELETE /api/v1/catalog/products/{id}/account-prices?accountId=&currency=: back to the list price. */
export const DELETE = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const query = parseQuery(removeAccountPriceQuerySchema, new URL(request.url).searchParams);
  return respondJson(await runCommand(removeAccountPriceCommand, principal, meta, { ...query, productId: id }, db));
});
