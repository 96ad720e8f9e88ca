import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

/**
 * A transaction-scoped advisory lock on (namespace, id), held until the transaction ends: two
 * transactions that take the same key run what follows one after the other, and the second one's
 * next statement sees what the first committed. Take it before reading what the lock protects.
 */
export async function lockKey(tx: Tx, namespace: string, id: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${namespace}), hashtext(${id}))`);
}
