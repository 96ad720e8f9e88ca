import { z } from "zod";
import { updateBranchCommand } from "@/lib/branches/update-branch";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { fieldErrorsFromIssues, parseIdParam } from "@/lib/core/input-rules";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

const patchSchema = z.object({ name: z.string().optional(), parentId: z.string().nullable().optional() }).strict();

/** PATCH /api/v1/branches/{id} { name?, parentId? }: rename and/or move in one transaction, audited once as branch.updated. */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Branch");
  const body = patchSchema.safeParse(await readJsonBody(request));
  if (!body.success) throw new ValidationError(fieldErrorsFromIssues(body.error.issues, "body"));
  if (body.data.name === undefined && body.data.parentId === undefined) throw new ValidationError({ body: ["give name and/or parentId"] });
  await runCommand(updateBranchCommand, principal, meta, { branchId: id, name: body.data.name, parentId: body.data.parentId }, db);
  return respondJson({ id });
});
