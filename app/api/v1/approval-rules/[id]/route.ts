import { deleteApprovalRuleCommand, updateApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { listApprovalRules } from "@/lib/approvals/list-approval-rules";
import { runCommand } from "@/lib/core/command";
import { NotFoundError, ValidationError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/approval-rules/{id}: one rule within the caller's branches:manage scope, else 404. */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Approval rule");
  const [rule] = await readAs(principal, (tx) => listApprovalRules(tx, principal, id), db);
  if (!rule) throw new NotFoundError("Approval rule");
  return respondJson(rule);
});

/** PATCH /api/v1/approval-rules/{id}: any of the rule's fields, with the version it was read at. */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Approval rule");
  const body = await readJsonBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ body: ["must be a JSON object"] });
  await runCommand(updateApprovalRuleCommand, principal, meta, { ...body, ruleId: id }, db);
  const [rule] = await readAs(principal, (tx) => listApprovalRules(tx, principal, id), db);
  return respondJson(rule);
});

/** DELETE /api/v1/approval-rules/{id}: submitted orders keep their steps. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Approval rule");
  return respondJson(await runCommand(deleteApprovalRuleCommand, principal, meta, { ruleId: id }, db));
});
