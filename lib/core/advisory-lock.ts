import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

// Apart from the migration (727_274_001), audit-chain (…002) and sign-in attempt (…003) locks.
const KEYED_LOCK_CLASS = 727_274_004;

/**
 * Waits for a transaction-scoped advisory lock on (namespace, id), held until this transaction
 * commits or rolls back. Writers of the same key queue up; everyone else goes on. A `shared` lock
 * admits other shared holders and waits only for an exclusive one (readers of what the exclusive
 * holders change). Keys are hashed to 32 bits, so two keys may rarely share a lock: that costs a
 * wait, never correctness.
 */
export async function lockKey(tx: Tx, namespace: string, id: string, mode: "exclusive" | "shared" = "exclusive"): Promise<void> {
  const key = `${namespace}:${id}`;
  if (mode === "shared") await tx.execute(sql`select pg_advisory_xact_lock_shared(${KEYED_LOCK_CLASS}, hashtext(${key}))`);
  else await tx.execute(sql`select pg_advisory_xact_lock(${KEYED_LOCK_CLASS}, hashtext(${key}))`);
}

/**
 * What an org's writers take turns on, because each check reads the whole of it: the branch tree
 * (paths and parents: a move must not cross another move and make a cycle) and the roles
 * (names and inheritance: two edits must not close an inheritance cycle between them). Granting
 * a role reads the roles too (what the grant hands out, and whether it needs a step-up), so it
 * takes the roles lock shared: grants go on side by side, and never between a role edit's check
 * and its commit.
 */
export type OrgLock = "tree" | "roles";

export function lockOrg(tx: Tx, orgId: string, what: OrgLock, mode: "exclusive" | "shared" = "exclusive"): Promise<void> {
  return lockKey(tx, `org-${what}`, orgId, mode);
}
