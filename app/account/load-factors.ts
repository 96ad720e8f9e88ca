import { getDb } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { listMfaFactors } from "@/lib/identity/mfa-policy";

/** The viewer's own second factors, read as the viewer. */
export function loadOwnFactors(userId: string) {
  return withTenantScope({ orgId: null, userId, bypass: false }, (tx) => listMfaFactors(tx, userId), getDb());
}
