import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { organizations } from "@/db/schema";
import { systemAccess } from "@/lib/access/access";
import type { OrgRef, Principal } from "./context";
import { NotFoundError } from "./errors";

/** The operator (CLI, seed, workers): whoever runs the host already controls the database. */
export function systemPrincipal(label: string, org: OrgRef | null = null): Principal {
  return { actor: { type: "system", label }, org, membershipId: null, access: systemAccess };
}

export async function findOrgBySlug(db: Executor, slug: string): Promise<OrgRef> {
  const [org] = await db.select({ id: organizations.id, slug: organizations.slug, name: organizations.name }).from(organizations).where(eq(organizations.slug, slug));
  if (!org) throw new NotFoundError(`Organization "${slug}"`);
  return org;
}
