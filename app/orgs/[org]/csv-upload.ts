import type { ActionResult } from "@/lib/core/action-result";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { AppError, PayloadTooLargeError, ValidationError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { isSameOriginRequest } from "@/lib/http/same-origin";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { loadViewer } from "../../load-viewer";
import { readLimitedBody } from "./read-limited-body";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";

type Preview = { id: string; totalRows: number; errorRows: number };
type Reply = ActionResult<Preview>;

function reply(result: Reply, status = result.ok ? 200 : 400): Response {
  return Response.json(result, { status, headers: { "cache-control": "no-store" } });
}

/**
 * The upload step of a CSV import (catalog, members): the file itself is the body (`X-File-Name`
 * names it), from one of our pages (same-origin), by a signed-in member of the org, counted as it
 * streams in. A route handler rather than a server action, so a 32 MiB file does not raise every
 * action's body limit. `preview` runs the import's preview command.
 */
export async function answerCsvUpload(
  request: Request,
  org: string,
  { what, maxBytes, preview }: { what: string; maxBytes: number; preview: (principal: Principal, meta: RequestMeta, input: { fileName: string; content: Uint8Array }) => Promise<Preview> },
): Promise<Response> {
  const meta = readRequestMeta(request.headers);
  if (!isSameOriginRequest(request.headers)) return reply({ ok: false, error: "This request did not come from a Countersign page." }, 403);
  const viewer = await loadViewer();
  if (!viewer) return reply({ ok: false, error: "Your sign-in has expired. Sign in again." }, 401);
  const principal = await loadSessionPrincipal(viewer, org);
  if (!principal) return reply({ ok: false, error: "Not found." }, 404);
  try {
    const fileName = decodeURIComponent(request.headers.get("x-file-name") ?? `${what}.csv`).slice(0, 200) || `${what}.csv`;
    const content = await readLimitedBody(request, maxBytes);
    return reply({ ok: true, data: await preview(principal, meta, { fileName, content }) });
  } catch (error) {
    if (error instanceof URIError) return reply({ ok: false, error: "The file name is not valid: rename the file and upload it again.", fieldErrors: { fileName: ["The file name is not valid: rename the file and upload it again."] } }, 422);
    if (error instanceof ValidationError) {
      // Sentences naming the field, as every dashboard form shows them.
      const fieldErrors = describeFieldErrorsForPeople(error.fieldErrors);
      return reply({ ok: false, error: Object.values(fieldErrors).flat().join(" ") || error.message, fieldErrors }, 422);
    }
    if (error instanceof AppError) return reply({ ok: false, error: error.message }, error instanceof PayloadTooLargeError ? 413 : 403);
    console.error(`[${meta.requestId}] ${what} upload failed`, error);
    return reply({ ok: false, error: `Something went wrong. Quote request id ${meta.requestId} when reporting it.`, requestId: meta.requestId }, 500);
  }
}
