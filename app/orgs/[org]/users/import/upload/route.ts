import { getDb } from "@/db/client";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { AppError, PayloadTooLargeError, ValidationError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { isSameOriginRequest } from "@/lib/http/same-origin";
import { MAX_MEMBER_IMPORT_BYTES } from "@/lib/identity/import/parse-member-csv";
import { previewMemberImportCommand } from "@/lib/identity/import/preview-member-import";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { loadViewer } from "../../../../../load-viewer";
import { readLimitedBody } from "../../../read-limited-body";

export const dynamic = "force-dynamic";

type Reply = ActionResult<{ id: string; totalRows: number; errorRows: number }>;

function reply(result: Reply, status = result.ok ? 200 : 400): Response {
  return Response.json(result, { status, headers: { "cache-control": "no-store" } });
}

/**
 * POST the members CSV itself as the body (`X-File-Name` names it): the preview step of an
 * import, as the catalog's upload route does it (a 32 MiB file is counted as it streams in).
 */
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const meta = readRequestMeta(request.headers);
  if (!isSameOriginRequest(request.headers)) return reply({ ok: false, error: "This request did not come from a Countersign page." }, 403);
  const viewer = await loadViewer();
  if (!viewer) return reply({ ok: false, error: "Your sign-in has expired. Sign in again." }, 401);
  const { org } = await params;
  const principal = await loadMemberPrincipal(getDb(), { type: "user", userId: viewer.userId, label: viewer.email }, org, { id: viewer.sessionId, ...viewer.sessionAuth });
  if (!principal) return reply({ ok: false, error: "Not found." }, 404);
  try {
    const fileName = decodeURIComponent(request.headers.get("x-file-name") ?? "members.csv").slice(0, 200) || "members.csv";
    const content = await readLimitedBody(request, MAX_MEMBER_IMPORT_BYTES);
    return reply({ ok: true, data: await runCommand(previewMemberImportCommand, principal, meta, { fileName, content }) });
  } catch (error) {
    if (error instanceof URIError) return reply({ ok: false, error: "The file name is not valid.", fieldErrors: { fileName: ["is not valid percent-encoding"] } }, 422);
    if (error instanceof ValidationError) return reply({ ok: false, error: Object.values(error.fieldErrors).flat().join(" ") || error.message, fieldErrors: error.fieldErrors }, 422);
    if (error instanceof AppError) return reply({ ok: false, error: error.message }, error instanceof PayloadTooLargeError ? 413 : 403);
    console.error(`[${meta.requestId}] members upload failed`, error);
    return reply({ ok: false, error: `Something went wrong. Quote request id ${meta.requestId} when reporting it.`, requestId: meta.requestId }, 500);
  }
}
