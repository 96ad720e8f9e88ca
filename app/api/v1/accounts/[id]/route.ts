import { getAccount } from "@/lib/accounts/list-accounts";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { updateAccountCommand } from "@/lib/accounts/update-account";
import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody, updateAccountBodySchema } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/accounts/{id}: one account (supplier staff, accounts:read). Not an account: 404. */
export const GET = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const account = await readAsSupplier(principal, "accounts:read", (tx, supplier) => getAccount(tx, supplier, id), db, { ...meta, what: "GET /api/v1/accounts/{id}" });
  if (!account) throw new NotFoundError("Account");
  return respondJson(account);
});

/** PATCH /api/v1/accounts/{id}: tier, credit limit and/or currencies (accounts:manage). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = parseBody(updateAccountBodySchema, await readJsonBody(request));
  return respondJson(await runCommand(updateAccountCommand, principal, meta, { ...body, accountId: id }, db));
});
