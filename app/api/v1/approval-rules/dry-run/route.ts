import { dryRunRouting } from "@/lib/approvals/dry-run";
import { dryRunSchema } from "@/lib/approvals/rule-schemas";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/approval-rules/dry-run: how a draft (`{ orderId }`) or lines for a branch
 * (`{ branchId, lines, currency? }`) would be routed: the rules and why each matched or not,
 * the tiers and their eligible approvers. Writes nothing.
 */
export const POST = withApiPrincipal(async ({ request, principal, db }) => {
  const input = parseBody(dryRunSchema, await readJsonBody(request));
  return respondJson(await readAs(principal, (tx) => dryRunRouting(tx, principal, input), db));
});
