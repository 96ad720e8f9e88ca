import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations } from "@/db/schema";
import type { Principal } from "@/lib/core/context";

/** The org's MFA setting for its settings page; null when the principal acts in no org. */
export async function getMfaPolicy(db: Executor, principal: Principal): Promise<{ requireMfa: boolean } | null> {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const [row] = await db.select({ requireMfa: organizations.requireMfa }).from(organizations).where(eq(organizations.id, orgId));
  return row ?? null;
}
