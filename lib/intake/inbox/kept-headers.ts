// What the worker and a person inspecting a message need from the request: the media type, the
// partner's own envelope headers (Shopify's shop, topic, webhook id, including the HMAC for
// forensics), and the request id. Never Authorization or cookies: a stored bearer would be a
// credential in the database. Content-Encoding is kept as x-received-content-encoding: the stored
// bytes are already decoded (decode-content-encoding.ts), so it says how they travelled, not how
// to read them.
const KEPT = new Set(["content-type", "user-agent", "x-request-id"]);
const MAX_VALUE = 1_000;

export function keptHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    const key = name.toLowerCase();
    if (KEPT.has(key) || key.startsWith("x-shopify-")) kept[key] = value.slice(0, MAX_VALUE);
    else if (key === "content-encoding") kept["x-received-content-encoding"] = value.slice(0, MAX_VALUE);
  });
  return kept;
}
