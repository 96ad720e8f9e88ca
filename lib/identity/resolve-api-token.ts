import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { apiTokens, memberships, organizations, users } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import type { Principal } from "@/lib/core/context";
import { hashSecret } from "./secrets";

/** A bearer token's principal: its member's live access, or null if anything is off. */
export async function resolveApiToken(db: Db, token: string): Promise<Principal | null> {
  if (!token || token.length > 200) return null;
  // The token says which org it belongs to, so finding it looks across orgs; its access is then
  // loaded inside that org only.
  const [row] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) => findToken(tx, token), db);
  if (!row) return null;
  return {
    actor: { type: "api-token", tokenId: row.tokenId, userId: row.userId, label: row.email },
    org: { id: row.orgId, slug: row.slug, name: row.orgName },
    membershipId: row.membershipId,
    access: await withTenantScope({ orgId: row.orgId, userId: row.userId, bypass: false }, (tx) => loadAccess(tx, row.membershipId), db),
  };
}

function findToken(db: Executor, token: string) {
  return db
    .select({
      tokenId: apiTokens.id,
      membershipId: memberships.id,
      userId: users.id,
      email: users.email,
      orgId: organizations.id,
      slug: organizations.slug,
      orgName: organizations.name,
    })
    .from(apiTokens)
    .innerJoin(memberships, eq(memberships.id, apiTokens.membershipId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, apiTokens.orgId))
    .where(
      and(
        eq(apiTokens.tokenHash, hashSecret(token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
        eq(memberships.status, "active"),
        isNull(users.disabledAt),
      ),
    );
}
