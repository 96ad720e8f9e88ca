import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { OrgRef } from "@/lib/core/context";

/** One hash chain: an organization's, or the global one (org null) for events outside any org. */
export interface AuditChain {
  org: OrgRef | null;
}

/** Every chain, organizations by slug, then the global chain. */
export async function listAuditChains(db: Executor): Promise<AuditChain[]> {
  const orgs = await db.execute<{ id: string; slug: string; name: string }>(sql`select id::text as id, slug, name from organizations order by slug`);
  return [...orgs.map((org) => ({ org: { id: org.id, slug: org.slug, name: org.name } })), { org: null }];
}

/** How a chain is named in output: the org's slug, or "(global)". */
export function chainLabel(chain: AuditChain): string {
  return chain.org?.slug ?? "(global)";
}
