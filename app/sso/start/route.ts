import { runCommand } from "@/lib/core/command";
import { AppError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { startSsoCommand } from "@/lib/sso/start-sso";
import { escapeHtml, htmlPage, redirectTo } from "../sso-html";

export const dynamic = "force-dynamic";

/**
 * GET /sso/start?email=… | ?org=… | ?connection=… (&returnTo=): home-realm discovery, then off to
 * the IdP. Several connections for the domain answer a chooser; none sends the person back to
 * the sign-in page, which says so.
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const input = {
    ...(params.get("connection") ? { connectionId: params.get("connection") } : {}),
    ...(params.get("email") ? { email: params.get("email") } : {}),
    ...(params.get("org") ? { orgSlug: params.get("org") } : {}),
    returnTo: params.get("returnTo"),
  };
  try {
    const started = await runCommand(startSsoCommand, anonymousPrincipal(), readRequestMeta(request.headers), input);
    if ("redirectUrl" in started) {
      // Started from the sign-in form: the CSP's form-action 'self' also covers the redirects
      // that follow a form submission (Chromium enforces it), so a 303 to the IdP would be
      // blocked. A page that moves on by itself is a fresh navigation, which form-action allows.
      if (input.email) return htmlPage("Signing in", `<meta http-equiv="refresh" content="0;url=${escapeHtml(started.redirectUrl)}"><p>Taking you to your organization's sign-in… <a href="${escapeHtml(started.redirectUrl)}">Continue</a></p>`);
      return redirectTo(started.redirectUrl);
    }
    const links = started.choose.map((c) => `<li><a href="/sso/start?connection=${encodeURIComponent(c.id)}">${escapeHtml(c.name)}</a></li>`).join("");
    return htmlPage("Choose how to sign in", `<h1>Choose how to sign in</h1><p>Your organization signs in through more than one identity provider.</p><ul>${links}</ul>`);
  } catch (error) {
    if (error instanceof AppError) return redirectTo("/sign-in?notice=sso-not-found");
    throw error;
  }
}
