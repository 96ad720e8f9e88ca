import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, roles, users } from "@/db/schema";
import type { OrgRef } from "@/lib/core/context";
import { NotFoundError, ValidationError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";

export interface RoleRef {
  id: string;
  name: string;
}

/** A role of the org given by id or by name (case-insensitive); unknown is not-found naming the flag. */
export async function resolveRole(db: Executor, org: OrgRef, value: string, { flag, field }: { flag: string; field: string }): Promise<RoleRef> {
  const wanted = value.trim();
  if (!wanted) throw new ValidationError({ [field]: ["must be a role name or id"] });
  const match = isUuid(wanted) ? eq(roles.id, wanted) : eq(sql`lower(${roles.name})`, wanted.toLowerCase());
  const [role] = await db.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, org.id), match)).limit(1);
  if (!role) throw new NotFoundError(`--${flag}: role "${wanted}" in organization "${org.slug}"`);
  return role;
}

/**
 * Several role names or ids (a repeatable flag) to roles. An unknown one is a validation error on
 * the field, so it reads "--inherits: names a role that does not exist", as the command says it.
 */
export async function resolveRoles(db: Executor, org: OrgRef, values: string[], { flag, field }: { flag: string; field: string }): Promise<RoleRef[]> {
  const found: RoleRef[] = [];
  for (const value of values) {
    try {
      found.push(await resolveRole(db, org, value, { flag, field }));
    } catch (error) {
      if (error instanceof NotFoundError) throw new ValidationError({ [field]: [`"${value.trim()}" is not a role of organization "${org.slug}"`] });
      throw error;
    }
  }
  return found;
}

/** A member of the org by email (case-insensitive), or not-found naming the flag. */
export async function resolveMember(db: Executor, org: OrgRef, email: string, flag = "email"): Promise<{ membershipId: string; email: string }> {
  const wanted = email.trim();
  const [member] = await db
    .select({ membershipId: memberships.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, org.id), eq(sql`lower(${users.email})`, wanted.toLowerCase())));
  if (!member) throw new NotFoundError(`--${flag}: member "${wanted}" of organization "${org.slug}"`);
  return member;
}

/**
 * A command's field errors keyed by their top-level field ("permissions.2" → "permissions",
 * "grants.reassignTo" → "grants"), so report-error.ts names the flag that feeds it.
 */
export async function atFlagFields<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const fields: Record<string, string[]> = {};
    for (const [key, reasons] of Object.entries(error.fieldErrors)) (fields[key.split(".")[0]!] ??= []).push(...reasons);
    throw new ValidationError(fields);
  }
}
