import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accessFromJson, type AccessJson } from "@/lib/access/access-from-rows";
import type { Principal } from "@/lib/core/context";
import { hashSecret } from "./secrets";

interface ApiPrincipalJson {
  tokenId: string;
  membershipId: string;
  userId: string;
  email: string;
  orgId: string;
  slug: string;
  orgName: string;
  access: AccessJson;
}

/**
 * A bearer token's principal: its member's live access, or null if anything is off (unknown,
 * revoked or expired token, inactive member, disabled user). One statement, outside any
 * transaction: countersign_api_principal (migration 0016) reads the token across orgs, as
 * authentication must, and the member's grants and the org's roles inside that org only.
 */
export async function resolveApiToken(db: Db, token: string): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db.execute<{ principal: ApiPrincipalJson | null }>(sql`select countersign_api_principal(${hashSecret(token)}) as principal`);
  const found = row?.principal;
  if (!found) return null;
  return {
    actor: { type: "api-token", tokenId: found.tokenId, userId: found.userId, label: found.email },
    org: { id: found.orgId, slug: found.slug, name: found.orgName },
    membershipId: found.membershipId,
    access: accessFromJson(found.access),
  };
}
