import { runCommand } from "@/lib/core/command";
import { ConflictError, ForbiddenError, NotFoundError, StepUpRequiredError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { loadSessionPrincipal, OrgSessionEndedError } from "@/lib/identity/load-member-principal";
import { confirmIdentityLinkCommand } from "@/lib/sso/complete-identity-link";
import { stepUpPath } from "../../../account/step-up-path";
import { loadSession, pendingSignInPath } from "../../../load-viewer";
import { redirectTo } from "../../sso-html";

export const dynamic = "force-dynamic";

const SECURITY = "/account/security";

/**
 * GET /sso/link/complete?org=<slug>&flow=<id>: where the callback sends a person linking their own
 * account. The link is made here, by *their* session (SameSite=Lax: sent on this top-level GET,
 * unlike the IdP's cross-site POST to the SAML ACS), as their membership of the org: a flow
 * started by someone else reads as missing. Outcomes go back to the security page as fixed codes.
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const org = url.searchParams.get("org") ?? "";
  const flowId = url.searchParams.get("flow") ?? "";
  const here = `/sso/link/complete?org=${encodeURIComponent(org)}&flow=${encodeURIComponent(flowId)}`;
  const viewer = await loadSession();
  if (!viewer) return redirectTo(`/sign-in?callbackUrl=${encodeURIComponent(here)}`);
  if (viewer.pending) return redirectTo(pendingSignInPath(viewer.pending, here));
  const done = (code: string) => redirectTo(`${SECURITY}?org=${encodeURIComponent(org)}&sso-link=${code}#sso-links-heading`);
  try {
    const principal = await loadSessionPrincipal(viewer, org);
    if (!principal) return done("expired");
    await runCommand(confirmIdentityLinkCommand, principal, readRequestMeta(request.headers), { flowId });
    return done("linked");
  } catch (error) {
    if (error instanceof OrgSessionEndedError) return redirectTo(`/sign-in?callbackUrl=${encodeURIComponent(here)}`);
    if (error instanceof StepUpRequiredError) return redirectTo(stepUpPath(here));
    if (error instanceof ConflictError) return done(error.field === "connectionId" ? "already-has" : "taken");
    if (error instanceof NotFoundError || error instanceof ForbiddenError) return done("expired");
    if (error instanceof Error && "code" in error && (error as { code: string }).code === "validation") return done("expired");
    throw error;
  }
}
