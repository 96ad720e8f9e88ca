import type { Profile } from "@node-saml/node-saml";
import type { SsoConnectionRow } from "../load-connection";
import type { ClaimMapping } from "../presets";
import { readSsoProfile, type SsoProfile } from "../read-sso-claims";
import type { CheckedAssertion } from "./check-saml-response";

const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

/** A SAML attribute value as plain data: text, or a list of texts (groups). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain).filter((v) => v !== null);
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { _?: unknown })._ === "string") return (value as { _: string })._;
  return null;
}

/**
 * The signed assertion's attributes read like OIDC claims, so mapping rules, JIT and MFA work the
 * same way. The subject is always the NameID (an attribute called `sub` never replaces it); the
 * email is the mapped attribute, else an emailAddress-format NameID; the AuthnContextClassRef is
 * the `acr` (a multi-factor class lets an `idp` MFA policy trust it).
 */
export function readSamlProfile(connection: SsoConnectionRow, profile: Profile, checked: CheckedAssertion): SsoProfile {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries((profile.attributes ?? {}) as Record<string, unknown>)) {
    if (name === "__proto__" || name === "constructor" || name === "prototype") continue;
    const read = plain(value);
    if (read !== null) attributes[name] = read;
  }
  const mapping = connection.claimMapping as ClaimMapping;
  const emailAttribute = mapping.email ?? "email";
  // One group arrives as a single AttributeValue: still a list, as with several.
  const groupsAttribute = mapping.groups ?? "groups";
  if (typeof attributes[groupsAttribute] === "string") attributes[groupsAttribute] = [attributes[groupsAttribute]];
  const claims: Record<string, unknown> = {
    ...attributes,
    ...(attributes[emailAttribute] === undefined && checked.nameIdFormat === EMAIL_FORMAT ? { [emailAttribute]: checked.nameId } : {}),
    ...(checked.authnContextClassRef ? { acr: checked.authnContextClassRef } : {}),
    sub: checked.nameId,
  };
  return readSsoProfile("generic", mapping, claims);
}
