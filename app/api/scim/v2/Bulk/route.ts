import { runCommand } from "@/lib/core/command";
import { readBulkRequest } from "@/lib/scim/bulk/read-bulk-request";
import { runScimBulk, type RunScimCommand } from "@/lib/scim/bulk/run-scim-bulk";
import { BULK_MAX_PAYLOAD_BYTES } from "@/lib/scim/discovery";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { methodNotAllowed, withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { scimResponse } from "@/lib/scim/http/scim-response";

export const dynamic = "force-dynamic";

/**
 * POST /api/scim/v2/Bulk (RFC 7644 §3.7): each operation runs as its own SCIM command, as the
 * token; bulkId references resolved; failOnErrors honoured. Over maxOperations or
 * maxPayloadSize: 413.
 */
export const POST = withScimPrincipal(async ({ request, principal, meta, db }) => {
  const bulk = readBulkRequest(await readScimBody(request, BULK_MAX_PAYLOAD_BYTES, 413));
  const run: RunScimCommand = (command, input) => runCommand(command, principal, meta, input, db);
  return scimResponse(await runScimBulk(bulk, run, meta));
});
export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
