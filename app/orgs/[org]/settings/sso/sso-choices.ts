import type { Executor } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { loadGrantChoices } from "../../users/grant-choices";

export interface SsoChoices {
  roles: Array<{ id: string; name: string }>;
  /** Where the admin may hand out a grant (users:manage there); value "" is the whole organization. */
  branches: Array<{ value: string; label: string; depth: number }>;
  connections: Array<{ id: string; name: string }>;
}

/** What the rule and default-role forms may offer; the commands check delegation again. */
export async function loadSsoChoices(db: Executor, principal: Principal, connections: Array<{ id: string; name: string }>): Promise<SsoChoices> {
  const grantChoices = await loadGrantChoices(db, principal, null);
  return { roles: grantChoices.roles, branches: grantChoices.branches.map(({ value, label, depth }) => ({ value, label, depth })), connections: connections.map(({ id, name }) => ({ id, name })) };
}
