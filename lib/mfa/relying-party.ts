import { appUrl } from "@/lib/mail/app-url";

export interface RelyingParty {
  rpID: string;
  rpName: "Countersign";
  origin: string;
}

/**
 * Who passkeys are bound to. The origin comes from the operator's APP_URL, never from the
 * request's Host header, so a forged host cannot make us accept a ceremony run on another site.
 * WEBAUTHN_RP_ID widens the scope to a parent domain (passkeys then work on its subdomains).
 * Read at call time, so tests and the launcher can set the environment late.
 */
export function relyingParty(): RelyingParty {
  const url = appUrl();
  const rpID = process.env.WEBAUTHN_RP_ID?.trim() || url.hostname;
  return { rpID, rpName: "Countersign", origin: url.origin };
}
