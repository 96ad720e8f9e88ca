import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { systemAccess } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { hashSecret } from "@/lib/identity/secrets";

interface ScimPrincipalJson {
  tokenId: string;
  tokenName: string;
  orgId: string;
  slug: string;
  orgName: string;
}

/**
 * A SCIM token's principal, or null (unknown or revoked). One statement across orgs, as
 * authentication must (countersign_scim_principal, migration 0025). The IdP manages every member
 * of its org, so it holds everything there; every read and write then runs scoped to that org
 * alone (row-level security, not the operator's bypass), and SCIM's own commands refuse any
 * other actor.
 */
export async function resolveScimToken(db: Db, token: string): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db.execute<{ principal: ScimPrincipalJson | null }>(sql`select countersign_scim_principal(${hashSecret(token)}) as principal`);
  const found = row?.principal;
  if (!found) return null;
  return {
    actor: { type: "scim", tokenId: found.tokenId, label: `SCIM token "${found.tokenName}"` },
    org: { id: found.orgId, slug: found.slug, name: found.orgName },
    membershipId: null,
    access: systemAccess,
  };
}
