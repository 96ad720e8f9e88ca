import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountCurrencies, accounts, branchAddresses, branches, intakeChannelMappings, intakeChannels, intakeDocuments, intakeXrefs, orders, organizations, products } from "@/db/schema";
import { encodeControlChars } from "@/lib/audit/encode-control-chars";
import type { OrgRef } from "@/lib/core/context";
import type { ChannelMapping } from "./match-account";
import type { AccountContext, DocumentStatus, PreviousDocument } from "./plan-document";
import type { CatalogEntry } from "./resolve-lines";

// The reads the planner needs, run by the worker in the document's transaction. The worker acts as the
// operator here (it must read the supplier's channel and the account's branches and catalog); every
// query still names the org it reads, and only the channel's own mappings are ever consulted.

export type ChannelRow = typeof intakeChannels.$inferSelect;
export type ChannelSetup = { channel: ChannelRow; mappings: Array<ChannelMapping & { rules: unknown }> };

export async function loadChannelSetup(db: Executor, channelId: string): Promise<ChannelSetup | null> {
  const [channel] = await db.select().from(intakeChannels).where(eq(intakeChannels.id, channelId));
  if (!channel) return null;
  const mappings = await db
    .select({ senderId: intakeChannelMappings.senderId, accountId: intakeChannelMappings.accountId, branchId: intakeChannelMappings.branchId, rules: intakeChannelMappings.rules })
    .from(intakeChannelMappings)
    .where(and(eq(intakeChannelMappings.orgId, channel.orgId), eq(intakeChannelMappings.channelId, channel.id)))
    .orderBy(intakeChannelMappings.createdAt, intakeChannelMappings.id);
  return { channel, mappings };
}

export type LoadedAccount = { context: AccountContext; org: OrgRef; branchPaths: Map<string, string> };

/** The account, only when it is the channel's supplier's: a mapping to anything else is no account. */
export async function loadAccount(db: Executor, supplierId: string, accountId: string): Promise<LoadedAccount | null> {
  const [row] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, tier: accounts.tier })
    .from(accounts)
    .innerJoin(organizations, eq(organizations.id, accounts.orgId))
    .where(and(eq(accounts.orgId, accountId), eq(accounts.supplierId, supplierId)));
  if (!row) return null;
  const [currencies, branchRows, addresses] = await Promise.all([
    db.select({ currency: accountCurrencies.currency, isBase: accountCurrencies.isBase }).from(accountCurrencies).where(eq(accountCurrencies.orgId, accountId)),
    db.select({ id: branches.id, path: branches.path }).from(branches).where(eq(branches.orgId, accountId)),
    db
      .select({ id: branchAddresses.id, branchId: branchAddresses.branchId, lines: branchAddresses.lines, city: branchAddresses.city, postalCode: branchAddresses.postalCode, country: branchAddresses.country, isDefault: branchAddresses.isDefault })
      .from(branchAddresses)
      .where(and(eq(branchAddresses.orgId, accountId), eq(branchAddresses.isShipTo, true))),
  ]);
  return {
    org: { id: row.id, slug: row.slug, name: row.name },
    branchPaths: new Map(branchRows.map((b) => [b.id, b.path])),
    context: {
      accountId,
      tier: row.tier,
      baseCurrency: currencies.find((c) => c.isBase)?.currency ?? null,
      currencies: currencies.map((c) => c.currency),
      branches: branchRows,
      addresses,
    },
  };
}

/** Earlier documents that took effect (created, updated, held) with this channel, sender and number (stored encoded, see write-outcome.ts). */
export async function loadPreviousDocuments(db: Executor, supplierId: string, channelId: string, sender: string, documentNumber: string): Promise<PreviousDocument[]> {
  const rows = await db
    .select({ contentHash: intakeDocuments.contentHash, status: intakeDocuments.status, orderId: intakeDocuments.orderId, orderStatus: orders.status })
    .from(intakeDocuments)
    .leftJoin(orders, eq(orders.id, intakeDocuments.orderId))
    .where(and(eq(intakeDocuments.orgId, supplierId), eq(intakeDocuments.channelId, channelId), eq(intakeDocuments.sender, encodeControlChars(sender)), eq(intakeDocuments.documentNumber, encodeControlChars(documentNumber)), isNotNull(intakeDocuments.contentHash)))
    .orderBy(desc(intakeDocuments.createdAt), desc(intakeDocuments.id));
  return rows.map((r) => ({ contentHash: r.contentHash!, status: r.status as DocumentStatus, orderId: r.orderId, orderStatus: r.orderStatus }));
}

export async function loadXrefs(db: Executor, supplierId: string, channelId: string, accountId: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ part: intakeXrefs.buyerPart, sku: intakeXrefs.sku })
    .from(intakeXrefs)
    .where(and(eq(intakeXrefs.orgId, supplierId), eq(intakeXrefs.channelId, channelId), eq(intakeXrefs.accountId, accountId)));
  return new Map(rows.map((r) => [r.part.toLowerCase(), r.sku]));
}

export async function loadCatalog(db: Executor, supplierId: string, skus: readonly string[]): Promise<Map<string, CatalogEntry>> {
  const keys = [...new Set(skus.map((s) => s.toLowerCase()))].slice(0, 5000);
  if (keys.length === 0) return new Map();
  const rows = await db.select({ sku: products.sku, active: products.active }).from(products).where(and(eq(products.orgId, supplierId), inArray(products.skuKey, keys)));
  return new Map(rows.map((r) => [r.sku.toLowerCase(), { sku: r.sku, active: r.active }]));
}
