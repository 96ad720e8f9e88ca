/** A JSON response that no shared cache keeps: API answers depend on who is asking. */
export function respondJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}
