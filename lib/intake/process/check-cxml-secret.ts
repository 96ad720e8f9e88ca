import { timingSafeEqual, createHash } from "node:crypto";
import type { Envelope } from "../parse-result";
import { planIssue, type PlanIssue } from "./plan-issue";

// cXML carries its credential inside the document (Header/Sender/Credential/SharedSecret), so it can
// only be checked once the XML is read; it is checked before any document is looked at, in constant
// time, and the secret itself is never stored in a reason or a log.

type Credential = { domain: string; identity: string; sharedSecret?: string };

export function checkCxmlSecret(envelope: Envelope, expected: string | null): PlanIssue | null {
  const where = "/cXML/Header/Sender/Credential/SharedSecret";
  if (!expected) return planIssue("credentials", where, "this cXML channel has no shared secret configured; set one before sending");
  const credentials = envelope.credentials as { sender?: Credential[] } | undefined;
  const sent = (credentials?.sender ?? []).map((c) => c.sharedSecret).filter((s): s is string => typeof s === "string");
  if (sent.length === 0) return planIssue("credentials", where, "the Sender credential has no SharedSecret");
  if (!sent.some((s) => sameSecret(s, expected))) return planIssue("credentials", where, "the SharedSecret does not match this channel's");
  return null;
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}
