interface HeaderBag {
  get(name: string): string | null;
}

/**
 * True when a state-changing request came from one of our own pages. Server actions get this
 * check from Next; a route handler that acts on the session cookie must make it itself. Browsers
 * send Origin on every fetch POST, so a missing one is refused rather than trusted.
 */
export function isSameOriginRequest(headers: HeaderBag): boolean {
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return false;
  const origin = headers.get("origin");
  const host = headers.get("host");
  if (!origin || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
