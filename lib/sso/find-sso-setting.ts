import type { Executor } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { NotFoundError } from "@/lib/core/errors";
import { listSsoSettings } from "./list-connections";

type Settings = Awaited<ReturnType<typeof listSsoSettings>>;
type Kind = "connections" | "domains" | "mappings";
const NOUN: Record<Kind, string> = { connections: "Connection", domains: "Domain", mappings: "Mapping rule" };

/**
 * One connection, domain or mapping rule of the caller's org (sso:manage at the root), or "not
 * found": another org's id reads exactly like a missing one. The REST routes ask this before a
 * write, so the answer for another org's id does not depend on what the write would refuse first.
 */
export async function findSsoSetting<K extends Kind>(tx: Executor, principal: Principal, kind: K, id: string): Promise<Settings[K][number]> {
  const settings = await listSsoSettings(tx, principal);
  const found = (settings[kind] as Array<{ id: string }>).find((item) => item.id === id);
  if (!found) throw new NotFoundError(NOUN[kind]);
  return found as Settings[K][number];
}
