import { loadSamlSpMetadata } from "@/lib/sso/saml/load-sp-metadata";

export const dynamic = "force-dynamic";

/** GET /sso/saml/<connectionId>/metadata: the SP metadata (also the connection's SP entity id). */
export async function GET(_request: Request, { params }: { params: Promise<{ connectionId: string }> }): Promise<Response> {
  const { connectionId } = await params;
  const xml = await loadSamlSpMetadata(connectionId);
  if (!xml) return new Response("No such SAML connection.\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(xml, { status: 200, headers: { "content-type": "application/samlmetadata+xml; charset=utf-8", "cache-control": "no-store" } });
}
