import { appLink } from "@/lib/mail/app-url";

/** Where an IdP sends people back: one callback for every OIDC connection (the state names the flow). */
export function oidcRedirectUri(): string {
  return appLink("/sso/oidc/callback");
}

/** A SAML connection's Assertion Consumer Service and SP entity id, one pair per connection. */
export function samlAcsUrl(connectionId: string): string {
  return appLink(`/sso/saml/${connectionId}/acs`);
}

export function samlEntityId(connectionId: string): string {
  return appLink(`/sso/saml/${connectionId}/metadata`);
}
