import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";

/**
 * SCIM's commands and reads are the IdP's, through its org's SCIM token only: a person or an API
 * token holding users:manage provisions through the member endpoints instead. Returns the org.
 */
export function scimOrgOf(principal: Principal): string {
  if (principal.actor.type !== "scim") throw new ForbiddenError("Only an identity provider's SCIM token provisions through SCIM.", "users:manage");
  if (!principal.org) throw new NotFoundError("Organization");
  return principal.org.id;
}
