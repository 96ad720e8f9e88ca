import { z } from "zod";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { renameBranchCommand } from "@/lib/branches/rename-branch";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { fieldErrorsFromIssues, parseIdParam } from "@/lib/core/input-rules";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

const patchSchema = z.object({ name: z.string().optional(), parentId: z.string().nullable().optional() }).strict();

/** PATCH /api/v1/branches/{id} { name?, parentId? }: rename and/or move (each its own audited command). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Branch");
  const body = patchSchema.safeParse(await readJsonBody(request));
  if (!body.success) throw new ValidationError(fieldErrorsFromIssues(body.error.issues, "body"));
  if (body.data.name === undefined && body.data.parentId === undefined) throw new ValidationError({ body: ["give name and/or parentId"] });
  if (body.data.name !== undefined) await runCommand(renameBranchCommand, principal, meta, { branchId: id, name: body.data.name }, db);
  if (body.data.parentId !== undefined) await runCommand(moveBranchCommand, principal, meta, { branchId: id, newParentId: body.data.parentId }, db);
  return respondJson({ id });
});
