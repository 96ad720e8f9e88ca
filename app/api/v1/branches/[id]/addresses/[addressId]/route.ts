import { removeBranchAddressCommand } from "@/lib/branch-addresses/remove-branch-address";
import { updateBranchAddressCommand } from "@/lib/branch-addresses/update-branch-address";
import { runCommand } from "@/lib/core/command";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { toBranchAddress } from "@/lib/branch-addresses/schemas";
import { parseBody, updateBranchAddressBodySchema } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string; addressId: string }> };

/** PATCH /api/v1/branches/{id}/addresses/{addressId} (branches:manage at the branch). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id, addressId } = await params;
  const body = parseBody(updateBranchAddressBodySchema, await readJsonBody(request));
  return respondJson(toBranchAddress(await runCommand(updateBranchAddressCommand, principal, meta, { ...body, branchId: id, addressId }, db)));
});

/** DELETE /api/v1/branches/{id}/addresses/{addressId} (branches:manage at the branch). */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id, addressId } = await params;
  return respondJson(await runCommand(removeBranchAddressCommand, principal, meta, { branchId: id, addressId }, db));
});
