import { publicKeyPem } from "@/lib/audit/signing-key";
import { readRequestMeta } from "@/lib/core/request-meta";
import { problemResponse } from "@/lib/http/problem";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/audit/public-key: no auth. The key that signs checkpoints, so anyone holding an
 * export can check its checkpoint without trusting this server afterwards.
 */
export function GET(request: Request): Response {
  const key = publicKeyPem();
  if (!key) {
    const detail = "No audit signing key is configured, so checkpoints are not signed.";
    return problemResponse({ status: 404, detail }, request, readRequestMeta(request.headers));
  }
  return Response.json({ algorithm: "Ed25519", keyId: key.keyId, pem: key.pem }, { headers: { "Cache-Control": "public, max-age=300" } });
}
