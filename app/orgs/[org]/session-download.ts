import type { Principal, RequestMeta } from "@/lib/core/context";
import { NotFoundError, UnauthorizedError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { toProblemResponse } from "@/lib/http/problem";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { loadViewer } from "../../load-viewer";

type OrgParams = { params: Promise<{ org: string }> };

/**
 * A dashboard download (the audit and order-list exports) on the session cookie: the member's
 * principal in the org of the URL, or a problem answer. Not a member looks exactly like no such
 * organization. `onError` may answer an error itself first (a step-up redirect).
 */
export function sessionDownload(
  download: (call: { request: Request; principal: Principal; meta: RequestMeta }) => Promise<Response>,
  onError?: (error: unknown, request: Request) => Response | null,
) {
  return async (request: Request, { params }: OrgParams): Promise<Response> => {
    const meta = readRequestMeta(request.headers);
    try {
      const viewer = await loadViewer();
      if (!viewer) throw new UnauthorizedError();
      const principal = await loadSessionPrincipal(viewer, (await params).org);
      if (!principal) throw new NotFoundError("Organization");
      return await download({ request, principal, meta });
    } catch (error) {
      return onError?.(error, request) ?? toProblemResponse(error, request, meta);
    }
  };
}
