import { UnauthorizedError } from "@/lib/core/errors";
import { defaultClaimMapping, type ClaimMapping, type Preset } from "./presets";

/** What an IdP asserted about a person, read the same way for OIDC claims and SAML attributes. */
export interface SsoProfile {
  /** The key of the identity: the OIDC `sub` (Entra: `tid:oid`) or the SAML NameID. */
  subject: string;
  /** As sent; never trusted as verified because an IdP sent it (see provision-sso-member.ts). */
  email: string | null;
  name: string | null;
  groups: string[];
  amr: string[];
  acr: string | null;
  /** Every claim as received, for mapping rules and "test connection" (never a token). */
  claims: Record<string, unknown>;
}

export const SSO_SIGN_IN_FAILURE = "Single sign-on did not succeed.";

/** A refusal of the SSO step, with the reason (never a token) for the audit trail. */
export function ssoRefusal(reason: string, detail: Record<string, unknown> = {}): UnauthorizedError {
  return new UnauthorizedError(SSO_SIGN_IN_FAILURE, { reason, ...detail });
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? [value] : []);

/**
 * Reads a connection's claims. Entra identities are keyed by tenant and object id, never by
 * email (Entra does not verify it) nor by `sub` (pairwise per app). Entra's group overage (more
 * groups than fit: `_claim_names.groups` or `hasgroups` instead of the list) is refused with its
 * own reason, by the stated policy (docs/adr/0014): treating it as "no groups" would silently
 * strip every mapped grant.
 */
export function readSsoProfile(preset: Preset, mapping: ClaimMapping, claims: Record<string, unknown>, subjectFallback?: string): SsoProfile {
  const names = { ...defaultClaimMapping(preset), ...mapping };
  let subject = text(claims.sub) ?? subjectFallback ?? null;
  if (preset === "entra") {
    const tid = text(claims.tid);
    const oid = text(claims.oid);
    if (!tid || !oid) throw ssoRefusal("entra-identity-incomplete", { missing: [tid ? null : "tid", oid ? null : "oid"].filter(Boolean) });
    subject = `${tid}:${oid}`;
    const overage = (claims._claim_names as Record<string, unknown> | undefined)?.groups !== undefined || claims.hasgroups !== undefined;
    if (overage) throw ssoRefusal("groups-overage", { subject });
  }
  if (!subject) throw ssoRefusal("no-subject");
  const groups = [...strings(claims[names.groups]), ...(preset === "entra" ? strings(claims.roles) : [])];
  return {
    subject,
    email: text(claims[names.email])?.toLowerCase() ?? null,
    name: text(claims[names.name]),
    groups,
    amr: strings(claims.amr),
    acr: text(claims.acr),
    claims,
  };
}

// RFC 8176 methods that are a second factor, or say several were used.
const MFA_METHODS = new Set(["mfa", "otp", "hwk", "swk", "sc", "sms", "tel", "fpt", "face", "iris", "retina", "vbm"]);
const MFA_ACRS = new Set(["http://schemas.openid.net/pape/policies/2007/06/multi-factor", "phr", "phrh", "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract", "http://schemas.microsoft.com/claims/multipleauthn"]);

/** Whether the IdP says the person passed more than one factor (amr or acr). */
export function idpAssertedMfa(profile: SsoProfile): boolean {
  return profile.amr.some((m) => MFA_METHODS.has(m)) || (profile.acr !== null && MFA_ACRS.has(profile.acr));
}

/** The claims worth keeping in the audit trail: names, groups and facts, never a token or nonce. */
export function auditableClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(claims)) {
    if (["nonce", "at_hash", "c_hash", "s_hash", "sid", "jti"].includes(key)) continue;
    keep[key] = value;
  }
  return keep;
}
