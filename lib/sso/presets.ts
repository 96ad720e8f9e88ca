/**
 * What each preset reads from the IdP's claims. Entra does not verify emails and lets a user edit
 * theirs, so an Entra identity is keyed by tenant + object id (`tid:oid`), never by email or the
 * pairwise `sub`; its groups arrive as object ids (or app roles in `roles`), and past 200 groups
 * it sends an overage pointer instead of the list (handled in read-sso-claims.ts).
 */
export type Preset = "generic" | "okta" | "entra";

export interface ClaimMapping {
  email?: string;
  name?: string;
  groups?: string;
}

export function defaultClaimMapping(preset: Preset): Required<ClaimMapping> {
  switch (preset) {
    case "entra":
      return { email: "email", name: "name", groups: "groups" };
    case "okta":
      return { email: "email", name: "name", groups: "groups" };
    default:
      return { email: "email", name: "name", groups: "groups" };
  }
}
