import { ScimError } from "./scim-error";

/** meta.version and the ETag header: a weak tag over the row's version counter (RFC 7644 §3.14). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/**
 * If-Match (RFC 7232 §3.1): "*" or any listed tag equal to the current one passes, weak or
 * strong alike; anything else means the client edited a stale copy: 412, nothing written.
 */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch.trim() === "") return;
  const tags = ifMatch.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (tags.includes("*") || tags.includes(`"${version}"`)) return;
  throw new ScimError(412, undefined, `The resource has changed since version ${ifMatch.trim().slice(0, 40)}: it is now at ${etagOf(version)}. Read it again and retry.`);
}

/**
 * If-None-Match on a read (RFC 7232 §3.2, RFC 7644 §3.14): "*" or a listed tag equal to the
 * current one (weak comparison) means the client's copy is current, and the answer is 304.
 */
export function matchesIfNoneMatch(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch || ifNoneMatch.trim() === "") return false;
  const current = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === current;
  });
}
