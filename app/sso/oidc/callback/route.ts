import { safeRedirectPath } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { UnauthorizedError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { completeOidcSignInCommand } from "@/lib/sso/oidc/complete-oidc-sign-in";
import { setSessionCookie } from "../../../account/set-session-cookie";
import { escapeHtml, htmlPage, redirectTo } from "../../sso-html";

export const dynamic = "force-dynamic";

/**
 * GET /sso/oidc/callback: where every OIDC connection's IdP sends the person back. A sign-in
 * sets the same session cookie as password sign-in and goes on to the second factor, MFA
 * enrollment or the org; a test shows the claims; a refusal shows a page that says why.
 */
export async function GET(request: Request): Promise<Response> {
  const search = new URL(request.url).search;
  try {
    const result = await runCommand(completeOidcSignInCommand, anonymousPrincipal(), readRequestMeta(request.headers), { search });
    if (result.purpose === "test") {
      const rows = Object.entries(result.claims)
        .map(([k, v]) => `<tr><th style="text-align:left;padding-right:1rem">${escapeHtml(k)}</th><td><code>${escapeHtml(JSON.stringify(v))}</code></td></tr>`)
        .join("");
      return htmlPage("Test connection", `<h1>The connection works</h1><p>Subject <code>${escapeHtml(result.subject)}</code>. Nobody was signed in. Claims received:</p><table>${rows}</table><p><a href="/orgs/${encodeURIComponent(result.orgSlug)}/settings/sso">Back to SSO settings</a></p>`);
    }
    // Linking one's own account: the IdP's answer is kept; the person's own session confirms it.
    if (result.purpose === "link") return redirectTo(`/sso/link/complete?org=${encodeURIComponent(result.orgSlug)}&flow=${encodeURIComponent(result.flowId)}`);
    await setSessionCookie(result.sessionToken);
    if (result.pending === "mfa") return redirectTo("/sign-in/verify");
    if (result.pending === "enrollment") return redirectTo("/account/security/enroll");
    return redirectTo(result.returnTo ? safeRedirectPath(result.returnTo) : `/orgs/${encodeURIComponent(result.orgSlug)}`);
  } catch (error) {
    if (error instanceof UnauthorizedError) return redirectTo(`/sso/error?reason=${encodeURIComponent(String(error.auditDetail.reason ?? "refused"))}`);
    if (error instanceof Error && "code" in error && (error as { code: string }).code === "validation") return redirectTo("/sso/error?reason=bad-request");
    throw error;
  }
}
