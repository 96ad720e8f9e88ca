import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, users } from "@/db/schema";
import { NotFoundError } from "@/lib/core/errors";

/** A member of this org by membership id, or NotFound (never another org's member). */
export async function loadMember(db: Executor, orgId: string, membershipId: string) {
  const [row] = await db
    .select({ membershipId: memberships.id, userId: users.id, email: users.email, status: memberships.status })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.id, membershipId)));
  if (!row) throw new NotFoundError("Member");
  return row;
}
