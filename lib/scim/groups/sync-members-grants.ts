import type { CommandTx } from "@/lib/core/command-tx";
import { syncScimGrants } from "../users/sync-scim-grants";

/** Brings the mapped grants of every User whose groups changed up to date; totals for the audit event. */
export async function syncGrantsOf(tx: CommandTx, orgId: string, scimUserIds: Iterable<string>): Promise<{ users: number; added: number; removed: number }> {
  const total = { users: 0, added: 0, removed: 0 };
  for (const id of new Set(scimUserIds)) {
    const changed = await syncScimGrants(tx, orgId, id);
    total.users++;
    total.added += changed.added;
    total.removed += changed.removed;
  }
  return total;
}
