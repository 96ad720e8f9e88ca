import type { CanonicalOrder, Identifier } from "../canonical-order";

// Which customer account (and branch) a document is for. Only the channel's own mappings and its default
// account can answer: a payload never names an account directly, so it can never reach one the channel
// does not map (issue 14, security).

export type ChannelMapping = { senderId: string; accountId: string; branchId: string | null };

export type AccountMatch = {
  accountId: string;
  /** The branch a mapping named (a ship-to GLN mapped to a branch wins over the sender's). */
  branchId: string | null;
  /** The identifier that matched, as `scheme:value`, or "channel default". */
  matchedBy: string;
  /** The mapping that chose the account (its rules override the channel's), null for the channel default. */
  senderId: string | null;
  /** The ship-to was identified by a mapped id (a GLN): it is a known place, whatever its address says. */
  shipToMapped: boolean;
};

/** The sender part of the idempotency key: the first interchange-level id, else the buyer's first id. */
export function senderKeyOf(order: CanonicalOrder): string {
  const first = order.senders[0] ?? order.buyer?.identifiers[0];
  return first ? identifierText(first) : "";
}

export function identifierText(id: Identifier): string {
  return `${id.scheme}:${id.value}`;
}

/**
 * Tries the senders first, then the buyer's and the ship-to's identifiers; a mapping's sender id matches
 * an identifier's bare value or its `scheme:value` form. Falls back to the channel's default account.
 */
export function matchAccount(order: CanonicalOrder, mappings: readonly ChannelMapping[], defaults: { accountId: string | null; branchId: string | null }): AccountMatch | null {
  const byId = new Map<string, ChannelMapping>();
  for (const m of mappings) if (!byId.has(m.senderId)) byId.set(m.senderId, m);
  const find = (ids: readonly Identifier[]) => {
    for (const id of ids) {
      const hit = byId.get(identifierText(id)) ?? byId.get(id.value);
      if (hit) return { mapping: hit, id };
    }
    return null;
  };
  const party = find(order.senders) ?? find(order.buyer?.identifiers ?? []);
  const shipTo = find(order.shipTo?.identifiers ?? []);
  if (party) {
    const sameAccount = shipTo !== null && shipTo.mapping.accountId === party.mapping.accountId && shipTo.mapping.branchId !== null;
    return {
      accountId: party.mapping.accountId, branchId: sameAccount ? shipTo.mapping.branchId : party.mapping.branchId,
      matchedBy: identifierText(party.id), senderId: party.mapping.senderId, shipToMapped: sameAccount,
    };
  }
  if (shipTo) return { accountId: shipTo.mapping.accountId, branchId: shipTo.mapping.branchId, matchedBy: identifierText(shipTo.id), senderId: shipTo.mapping.senderId, shipToMapped: shipTo.mapping.branchId !== null };
  if (defaults.accountId) return { accountId: defaults.accountId, branchId: defaults.branchId, matchedBy: "channel default", senderId: null, shipToMapped: false };
  return null;
}
