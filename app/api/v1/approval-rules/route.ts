import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { listApprovalRules, toApprovalRule } from "@/lib/approvals/list-approval-rules";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { holdsAnywhere } from "@/lib/access/access";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** GET /api/v1/approval-rules: the rules attached within the caller's branches:manage scope. */
export const GET = withApiPrincipal(async ({ principal, db }) => {
  if (!holdsAnywhere(principal.access, "branches:manage")) throw new ForbiddenError(undefined, "branches:manage");
  return respondJson({ data: await readAs(principal, (tx) => listApprovalRules(tx, principal), db) });
});

/** POST /api/v1/approval-rules: attaches a rule to a branch (branches:manage there) or the org (at the root). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const rule = await runCommand(createApprovalRuleCommand, principal, meta, await readJsonBody(request), db);
  return respondJson(toApprovalRule(rule, null), 201);
});
