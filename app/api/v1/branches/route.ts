import { createBranchCommand } from "@/lib/branches/create-branch";
import { runCommand } from "@/lib/core/command";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** POST /api/v1/branches { name, parentId? }: needs branches:manage at the parent. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const branch = await runCommand(createBranchCommand, principal, meta, await readJsonBody(request), db);
  return respondJson({ id: branch.id, name: branch.name, parentId: branch.parentId }, 201);
});
