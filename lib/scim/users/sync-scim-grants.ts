import { and, eq, inArray, isNull } from "drizzle-orm";
import { grants, scimGroupMembers, scimGroups, scimMappedGrants, scimUsers, ssoConnections, ssoMappings } from "@/db/schema";
import type { CommandTx } from "@/lib/core/command-tx";
import { defaultClaimMapping, type Preset } from "@/lib/sso/presets";
import { ENTERPRISE_USER_SCHEMA } from "../discovery";

interface GrantKey {
  roleId: string;
  branchId: string | null;
}

const keyOf = (g: GrantKey) => `${g.roleId}/${g.branchId ?? ""}`;

// Enterprise attributes a mapping rule may name to place someone at a branch, with or without the URN.
const ENTERPRISE_CLAIMS = ["department", "division", "costcenter", "organization", "employeenumber"];

/**
 * Brings the grants SCIM's mapping owns for one SCIM User to what the SSO mapping rules say now
 * (issue 12 item 7): a rule on a connection's groups claim matches the names of the SCIM Groups
 * the user is in; a rule on an enterprise attribute (department, division, costCenter,
 * organization, with or without the enterprise URN) matches that attribute. Grants given by hand,
 * or by SSO sign-in, are never touched: only rows in scim_mapped_grants are removed.
 */
export async function syncScimGrants(tx: CommandTx, orgId: string, scimUserId: string, known?: { membershipId: string | null; doc: Record<string, unknown>; isNew?: boolean }): Promise<{ added: number; removed: number }> {
  const [user] = known ? [{ ...known, deletedAt: null }] : await tx.select({ membershipId: scimUsers.membershipId, doc: scimUsers.doc, deletedAt: scimUsers.deletedAt }).from(scimUsers).where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.id, scimUserId)));
  if (!user?.membershipId || user.deletedAt) return { added: 0, removed: 0 };
  const [groupRows, rules, mapped] = await Promise.all([
    known?.isNew
      ? []
      : tx
          .select({ name: scimGroups.displayName })
          .from(scimGroupMembers)
          .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
          .where(and(eq(scimGroupMembers.orgId, orgId), eq(scimGroupMembers.scimUserId, scimUserId), isNull(scimGroups.deletedAt))),
    tx
      .select({ claim: ssoMappings.claim, value: ssoMappings.value, roleId: ssoMappings.roleId, branchId: ssoMappings.branchId, preset: ssoConnections.preset, claimMapping: ssoConnections.claimMapping })
      .from(ssoMappings)
      .innerJoin(ssoConnections, eq(ssoConnections.id, ssoMappings.connectionId))
      .where(eq(ssoMappings.orgId, orgId)),
    known?.isNew
      ? []
      : tx
          .select({ grantId: grants.id, roleId: grants.roleId, branchId: grants.branchId })
          .from(scimMappedGrants)
          .innerJoin(grants, eq(grants.id, scimMappedGrants.grantId))
          .where(and(eq(scimMappedGrants.orgId, orgId), eq(scimMappedGrants.scimUserId, scimUserId))),
  ]);
  const groups = new Set(groupRows.map((g) => g.name));
  const enterprise = readEnterprise(user.doc);
  const desired = new Map<string, GrantKey>();
  for (const rule of rules) {
    const groupsClaim = { ...defaultClaimMapping(rule.preset as Preset), ...rule.claimMapping }.groups;
    const claim = rule.claim.toLowerCase().replace(`${ENTERPRISE_USER_SCHEMA.toLowerCase()}:`, "");
    const matches = rule.claim === groupsClaim ? groups.has(rule.value) : ENTERPRISE_CLAIMS.includes(claim) && enterprise[claim] === rule.value;
    if (matches) desired.set(keyOf(rule), { roleId: rule.roleId, branchId: rule.branchId });
  }
  const have = new Set(mapped.map(keyOf));
  const stale = mapped.filter((g) => !desired.has(keyOf(g))).map((g) => g.grantId);
  if (stale.length) await tx.delete(grants).where(and(eq(grants.orgId, orgId), inArray(grants.id, stale)));
  const missing = [...desired.values()].filter((g) => !have.has(keyOf(g)));
  if (missing.length) {
    // Ids made here, so both inserts go in one round trip (postgres.js pipelines them; the server
    // runs them in order, the grants first).
    const rows = missing.map((g) => ({ id: crypto.randomUUID(), orgId, membershipId: user.membershipId!, roleId: g.roleId, branchId: g.branchId }));
    await Promise.all([tx.insert(grants).values(rows), tx.insert(scimMappedGrants).values(rows.map((r) => ({ grantId: r.id, orgId, scimUserId })))]);
  }
  return { added: missing.length, removed: stale.length };
}

function readEnterprise(doc: Record<string, unknown>): Record<string, string> {
  const key = Object.keys(doc).find((k) => k.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase());
  const ext = key ? doc[key] : undefined;
  const out: Record<string, string> = {};
  if (ext && typeof ext === "object" && !Array.isArray(ext)) for (const [k, v] of Object.entries(ext)) if (typeof v === "string") out[k.toLowerCase()] = v.trim();
  return out;
}
