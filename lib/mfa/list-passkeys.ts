import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { webauthnCredentials } from "@/db/schema";

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The person's own passkeys, oldest first: names and dates only, never key material. */
export async function listPasskeys(db: Executor, userId: string): Promise<PasskeySummary[]> {
  return db
    .select({ id: webauthnCredentials.id, name: webauthnCredentials.name, createdAt: webauthnCredentials.createdAt, lastUsedAt: webauthnCredentials.lastUsedAt })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, userId))
    .orderBy(asc(webauthnCredentials.createdAt), asc(webauthnCredentials.id));
}
