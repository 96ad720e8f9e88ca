import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { scimTokens } from "@/db/schema";
import { can } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";

export interface ScimTokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The org's SCIM tokens (never their secrets), for whoever manages the org. */
export async function listScimTokens(tx: Executor, principal: Principal): Promise<ScimTokenRow[]> {
  const orgId = principal.org?.id;
  if (!orgId) throw new NotFoundError("Organization");
  if (!can(principal.access, "org:manage", "")) throw new ForbiddenError(undefined, "org:manage");
  return tx
    .select({ id: scimTokens.id, name: scimTokens.name, prefix: scimTokens.prefix, createdAt: scimTokens.createdAt, lastUsedAt: scimTokens.lastUsedAt, revokedAt: scimTokens.revokedAt })
    .from(scimTokens)
    .where(eq(scimTokens.orgId, orgId))
    .orderBy(asc(scimTokens.createdAt), asc(scimTokens.id));
}
