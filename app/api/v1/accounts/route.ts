import { listAccounts } from "@/lib/accounts/list-accounts";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { accountListQuerySchema } from "@/lib/accounts/schemas";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { runCommand } from "@/lib/core/command";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** GET /api/v1/accounts: the supplier's accounts with tier, terms and activity (supplier staff, accounts:read). */
export const GET = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const query = parseQuery(accountListQuerySchema, new URL(request.url).searchParams);
  return respondJson(await readAsSupplier(principal, "accounts:read", (tx, supplier) => listAccounts(tx, supplier, query), db, { ...meta, what: "GET /api/v1/accounts" }));
});

/** POST /api/v1/accounts: opens an account for a customer organization (accounts:manage). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  return respondJson(await runCommand(openAccountCommand, principal, meta, await readJsonBody(request), db), 201);
});
