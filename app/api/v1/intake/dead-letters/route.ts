import { readAs } from "@/lib/core/read-as";
import { parseQuery } from "@/lib/http/parse-query";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { listDeadLetters } from "@/lib/intake/dead-letters/list-dead-letters";
import { deadLetterListQuerySchema } from "@/lib/intake/dead-letters/schemas";

export const dynamic = "force-dynamic";

/** GET /api/v1/intake/dead-letters?sort=impact|age: the supplier's dead letters, keyset pages, intake:manage only. */
export const GET = withApiPrincipal(async ({ request, principal, db }) => {
  const query = parseQuery(deadLetterListQuerySchema, new URL(request.url).searchParams);
  return respondJson(await readAs(principal, (tx) => listDeadLetters(tx, principal, query), db));
});
