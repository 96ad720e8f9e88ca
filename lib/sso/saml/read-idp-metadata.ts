import { ValidationError } from "@/lib/core/errors";
import { allowsInsecureHttp } from "../schemas";
import { parseIdpMetadata, type IdpMetadata } from "./parse-idp-metadata";

/** Metadata documents are small; a bigger answer is not metadata (or an attack on memory). */
export const MAX_METADATA_BYTES = 512 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

function refuse(field: string, message: string): never {
  throw new ValidationError({ [field]: [message] });
}

/**
 * Fetches an IdP's metadata from an https URL (plain http only behind SSO_ALLOW_INSECURE_HTTP=1,
 * as for OIDC issuers), without following redirects to elsewhere silently, within a size and a
 * time limit, and parses it.
 */
export async function fetchIdpMetadata(url: string): Promise<IdpMetadata> {
  if (!URL.canParse(url)) refuse("metadataUrl", "must be an absolute URL");
  const protocol = new URL(url).protocol;
  if (!(protocol === "https:" || (protocol === "http:" && allowsInsecureHttp()))) refuse("metadataUrl", "must use https (plain http only with SSO_ALLOW_INSECURE_HTTP=1, meant for tests)");
  let response: Response;
  try {
    response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: "application/samlmetadata+xml, application/xml, text/xml" } });
  } catch {
    return refuse("metadataUrl", "could not be fetched (no answer, a redirect, or a TLS error); check the URL, or upload the metadata file instead");
  }
  if (!response.ok) refuse("metadataUrl", `answered HTTP ${response.status}; check the URL, or upload the metadata file instead`);
  return parseIdpMetadata(await readLimited(response), "metadataUrl");
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_METADATA_BYTES) refuse("metadataUrl", "answered with more than 512 KB, which is not SAML metadata");
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_METADATA_BYTES) {
      await reader.cancel();
      refuse("metadataUrl", "answered with more than 512 KB, which is not SAML metadata");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
