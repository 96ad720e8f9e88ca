import { safeRedirectPath } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { UnauthorizedError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { completeSamlSignInCommand, MAX_SAML_RESPONSE_CHARS } from "@/lib/sso/saml/complete-saml-sign-in";
import { setSessionCookie } from "../../../../account/set-session-cookie";
import { escapeHtml, htmlPage, redirectTo } from "../../../sso-html";
import { readFormBody } from "./read-form-body";

export const dynamic = "force-dynamic";

/**
 * POST /sso/saml/<connectionId>/acs: the IdP's POST binding. A sign-in sets the same session
 * cookie as password sign-in (SameSite=Lax: it is set by this response and sent on the redirect
 * that follows, a top-level GET) and goes on to the second factor, enrollment or the org; a test
 * shows the attributes; a refusal shows a page that says why.
 */
export async function POST(request: Request, { params }: { params: Promise<{ connectionId: string }> }): Promise<Response> {
  const { connectionId } = await params;
  const form = await readFormBody(request, MAX_SAML_RESPONSE_CHARS + 4096);
  if (!form) return redirectTo("/sso/error?reason=bad-request");
  try {
    const result = await runCommand(completeSamlSignInCommand, anonymousPrincipal(), readRequestMeta(request.headers), { connectionId, samlResponse: form.get("SAMLResponse") ?? "", relayState: form.get("RelayState") });
    if (result.purpose === "test") {
      const rows = Object.entries(result.claims)
        .map(([k, v]) => `<tr><th style="text-align:left;padding-right:1rem">${escapeHtml(k)}</th><td><code style="overflow-wrap:anywhere">${escapeHtml(JSON.stringify(v))}</code></td></tr>`)
        .join("");
      return htmlPage("Test connection", `<h1>The connection works</h1><p>NameID <code style="overflow-wrap:anywhere">${escapeHtml(result.subject)}</code>. Nobody was signed in. Attributes received:</p><table>${rows}</table><p><a href="/orgs/${encodeURIComponent(result.orgSlug)}/settings/sso">Back to SSO settings</a></p>`);
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
