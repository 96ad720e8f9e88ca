/**
 * The public address of this Countersign instance, for links that leave the app (invitations,
 * password resets).
 *
 * Links in mail are never built from the request's Host header (or X-Forwarded-Host): anyone can
 * send a "forgot password" request with `Host: evil.example`, and a link built from it would
 * carry the victim's live reset token to the attacker's server (reset-link poisoning). The base
 * comes only from the operator's APP_URL.
 */
export class InvalidAppUrlError extends Error {
  constructor(detail: string) {
    super(`APP_URL ${detail}. Set it to this instance's public http(s) address, for example https://accounts.example.com.`);
    this.name = "InvalidAppUrlError";
  }
}

/** APP_URL, read at call time; default http://localhost:PORT (PORT defaults to 3000). */
export function appUrl(): URL {
  const raw = process.env.APP_URL?.trim();
  if (!raw) return new URL(`http://localhost:${process.env.PORT ?? 3000}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidAppUrlError("is not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidAppUrlError(`must use http or https, not ${url.protocol.replace(/:$/, "")}`);
  }
  // Credentials in a base URL would be copied into every link we mail out.
  if (url.username || url.password) throw new InvalidAppUrlError("must not contain a user name or password");
  return url;
}

/**
 * An absolute link to `path` under APP_URL (a base path in APP_URL, like /countersign, is kept).
 * Query values go in `params` so they are encoded; the path itself must not carry `?` or `#`.
 */
export function appLink(path: string, params?: Record<string, string>): string {
  if (/[?#]/.test(path)) throw new Error(`appLink: pass query values as params, not in the path (${path}).`);
  const base = appUrl();
  const link = new URL(base.origin);
  link.pathname = `${base.pathname.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  for (const [key, value] of Object.entries(params ?? {})) link.searchParams.set(key, value);
  return link.toString();
}
