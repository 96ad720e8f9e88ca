import type { EffectiveGrant } from "@/lib/access/access";
import type { Permission } from "@/lib/access/permissions";
import type { OrgRef, Principal } from "@/lib/core/context";

// The channel as an actor (issue 14: "the audit records the channel as the actor"). It acts in one
// customer account's org at a time, holding only orders:create and orders:read, and only at the branches
// its mappings name for that account (the account's root when a mapping names none). The worker builds
// one per document, for the account the channel's own mappings chose: a payload never picks the org, so
// it can never create an order outside its mapped accounts, and row-level security holds it to that org.

const CHANNEL_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(["orders:create", "orders:read"]);

export type ChannelRef = { id: string; name: string };

export function channelPrincipal(channel: ChannelRef, account: OrgRef, branchPaths: readonly string[]): Principal {
  const paths = [...new Set(branchPaths)];
  const grants: EffectiveGrant[] = paths.map((branchPath, i) => ({
    grantId: `channel:${channel.id}:${i}`,
    roleId: `channel:${channel.id}`,
    roleName: "Intake channel",
    branchId: null,
    branchName: null,
    branchPath,
    permissions: CHANNEL_PERMISSIONS,
    expiresAt: null,
    approvalLimit: null,
  }));
  return {
    actor: { type: "channel", channelId: channel.id, label: `channel ${channel.name}`.slice(0, 200) },
    org: account,
    membershipId: null,
    access: { kind: "grants", grants, roles: new Map() },
  };
}
