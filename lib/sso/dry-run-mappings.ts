import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, roles } from "@/db/schema";
import { can } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError, UnauthorizedError } from "@/lib/core/errors";
import type { z } from "zod";
import type { dryRunMappingSchema } from "./admin-schemas";
import { findConnection } from "./load-connection";
import { desiredGrants } from "./plan-sso-member";
import type { Preset } from "./presets";
import { readSsoProfile } from "./read-sso-claims";

export interface DryRunGrant {
  roleId: string;
  role: string;
  branchId: string | null;
  branch: string | null;
}

export type DryRunResult =
  | { outcome: "grants"; source: "rules" | "default"; groups: string[]; grants: DryRunGrant[] }
  | { outcome: "refused"; reason: string; groups: string[] };

// Stand-ins for the identity claims a dry run does not care about (Entra needs tid and oid).
const PLACEHOLDER_IDENTITY = { sub: "dry-run", tid: "dry-run", oid: "dry-run" };

/**
 * "These claims would give these grants": the connection's claims are read exactly as at sign-in
 * (the same preset rules, so an Entra group overage is refused here too) and matched against its
 * mapping rules, falling back to its default role. Writes nothing; who signs in is not asked.
 */
export async function dryRunMappings(tx: Executor, principal: Principal, input: z.output<typeof dryRunMappingSchema>): Promise<DryRunResult> {
  const orgId = principal.org?.id;
  if (!orgId || !can(principal.access, "sso:manage", "")) throw new ForbiddenError(undefined, "sso:manage");
  const connection = await findConnection(tx, orgId, input.connectionId);
  if (!connection) throw new NotFoundError("Connection");
  let profile;
  try {
    profile = readSsoProfile(connection.preset as Preset, connection.claimMapping, { ...PLACEHOLDER_IDENTITY, ...input.claims });
  } catch (error) {
    if (error instanceof UnauthorizedError && typeof error.auditDetail.reason === "string") return { outcome: "refused", reason: error.auditDetail.reason, groups: [] };
    throw error;
  }
  const desired = await desiredGrants(tx, connection, profile);
  if (desired.length === 0) return { outcome: "refused", reason: "no-mapping-rule", groups: profile.groups };
  const roleIds = [...new Set(desired.map((g) => g.roleId))];
  const branchIds = [...new Set(desired.flatMap((g) => (g.branchId ? [g.branchId] : [])))];
  const roleNames = new Map((await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), inArray(roles.id, roleIds)))).map((r) => [r.id, r.name]));
  const branchNames = branchIds.length ? new Map((await tx.select({ id: branches.id, name: branches.name }).from(branches).where(and(eq(branches.orgId, orgId), inArray(branches.id, branchIds)))).map((b) => [b.id, b.name])) : new Map<string, string>();
  const fromDefault = desired.length === 1 && desired[0]!.roleId === connection.defaultRoleId && !(await anyRuleMatched(tx, connection, profile));
  return {
    outcome: "grants",
    source: fromDefault ? "default" : "rules",
    groups: profile.groups,
    grants: desired.map((g) => ({ roleId: g.roleId, role: roleNames.get(g.roleId) ?? "(unknown role)", branchId: g.branchId, branch: g.branchId ? (branchNames.get(g.branchId) ?? "(unknown branch)") : null })),
  };
}

// desiredGrants falls back to the default only when no rule matched: ask it again without one.
async function anyRuleMatched(tx: Executor, connection: NonNullable<Awaited<ReturnType<typeof findConnection>>>, profile: Parameters<typeof desiredGrants>[2]): Promise<boolean> {
  return (await desiredGrants(tx, { ...connection, defaultRoleId: null }, profile)).length > 0;
}
