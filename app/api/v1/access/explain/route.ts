import { explainMemberAccess, explainRequestSchema } from "@/lib/access/explain-member-access";
import { ValidationError } from "@/lib/core/errors";
import { fieldErrorsFromIssues } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** POST /api/v1/access/explain: may this member do this there, and which grant says so? A read: it changes nothing. */
export const POST = withApiPrincipal(async ({ request, principal, db }) => {
  const parsed = explainRequestSchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw new ValidationError(fieldErrorsFromIssues(parsed.error.issues, "body"));
  return respondJson(await readAs(principal, (tx) => explainMemberAccess(tx, principal, parsed.data), db));
});
