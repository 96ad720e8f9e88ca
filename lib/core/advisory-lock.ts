import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

// Apart from the migration (727_274_001), audit-chain (…002) and sign-in attempt (…003) locks.
const KEYED_LOCK_CLASS = 727_274_004;

/**
 * Waits for a transaction-scoped advisory lock on (namespace, id), held until this transaction
 * commits or rolls back. Writers of the same key queue up; everyone else goes on. Keys are hashed
 * to 32 bits, so two keys may rarely share a lock: that costs a wait, never correctness.
 */
export async function lockKey(tx: Tx, namespace: string, id: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${KEYED_LOCK_CLASS}, hashtext(${`${namespace}:${id}`}))`);
}

/**
 * What an org's writers take turns on, because each check reads the whole of it: the branch tree
 * (paths and parents: a move must not cross another move and make a cycle) and the roles
 * (names and inheritance: two edits must not close an inheritance cycle between them).
 */
export type OrgLock = "tree" | "roles";

export function lockOrg(tx: Tx, orgId: string, what: OrgLock): Promise<void> {
  return lockKey(tx, `org-${what}`, orgId);
}
