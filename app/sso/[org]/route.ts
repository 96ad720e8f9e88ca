import { redirectTo } from "../sso-html";

export const dynamic = "force-dynamic";

/** GET /sso/<org-slug>: a person starts from their org rather than their email. */
export async function GET(_request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const { org } = await params;
  return redirectTo(`/sso/start?org=${encodeURIComponent(org)}`);
}
