import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ssoConnections } from "@/db/schema";

export type SsoConnectionRow = typeof ssoConnections.$inferSelect;

/** A connection of this org, or null (another org's id reads as missing). */
export async function findConnection(db: Executor, orgId: string, connectionId: string): Promise<SsoConnectionRow | null> {
  const [row] = await db.select().from(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, connectionId)));
  return row ?? null;
}
