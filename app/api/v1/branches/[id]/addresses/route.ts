import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { listBranchAddresses } from "@/lib/branch-addresses/list-branch-addresses";
import { toBranchAddress } from "@/lib/branch-addresses/schemas";
import { runCommand } from "@/lib/core/command";
import { NotFoundError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/branches/{id}/addresses: for whoever may order for the branch or manage it; else 404. */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: Params) => {
  const { id } = await params;
  const addresses = await readAs(principal, (tx) => listBranchAddresses(tx, principal, id), db);
  if (!addresses) throw new NotFoundError("Branch");
  return respondJson({ data: addresses });
});

/** POST /api/v1/branches/{id}/addresses: adds an address (branches:manage at the branch). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = await readJsonBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ body: ["must be a JSON object"] });
  const row = await runCommand(addBranchAddressCommand, principal, meta, { ...body, branchId: id }, db);
  return respondJson(toBranchAddress(row), 201);
});
