import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { and, eq } from "drizzle-orm";
import { intakeChannelMappings, intakeChannels, intakeDeadLetters, intakeDocuments, intakeMessages, intakeXrefs, orderLines, orders } from "@/db/schema";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { runCommand } from "@/lib/core/command";
import type { IntakeFormat } from "@/lib/intake/parse-payload";
import { sealSecret } from "@/lib/mfa/secret-box";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";
import { makeProduct, makeSupplier, openAccount } from "../support/supplier-factories";

// An intake world for the worker's tests: the supplier, an account with a branch, a ship-to address and
// a member, the fixtures' products, and channels and inbox rows written as the operator (acceptance is
// intake-accept's; these tests start where a message has been stored).

export function readIntakeFixture(path: string): Buffer {
  return readFileSync(resolve(process.cwd(), "tests/fixtures/intake", path));
}

export async function buildAccount(name = "Acme Retail", tier = "Gold") {
  const org = await makeOrg(name);
  await openAccount(org.id, { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }, { currency: "SEK", rateToBase: "0.095" }], tier });
  const hq = await makeBranch(org.operator, "HQ");
  const store = await makeBranch(org.operator, "Store", hq.id);
  const buyer = await makeMember(org.operator, { roleName: "Admin" });
  const address = await runCommand(addBranchAddressCommand, org.operator, meta, { branchId: hq.id, label: "Solon dock", lines: ["31875 Solon Road"], city: "Solon", postalCode: "44139", country: "US", isDefault: true });
  return { org, hq, store, buyer, address };
}
export type IntakeAccount = Awaited<ReturnType<typeof buildAccount>>;

/** Every SKU the public fixtures order, priced in the currencies they use (minor units). */
export async function makeFixtureProducts() {
  const skus: Record<string, Record<string, number>> = {
    AB3542: { USD: 925 }, RD5322: { USD: 1379 }, XY5266: { USD: 1099 }, VX2332: { USD: 435 }, RV0524: { USD: 750 }, DX1875: { USD: 955 },
    "0054321": { USD: 1995 },
    "1233244": { EUR: 210, USD: 230 }, "1233245": { EUR: 320, USD: 350 },
    SItemNo001: { SEK: 5000 }, SItemNo011: { SEK: 1500 },
    IPOD2008GREEN: { USD: 19900 }, IPOD2008RED: { USD: 19900 }, IPOD2008BLACK: { USD: 19900 },
    "5020436373085": { USD: 1250, EUR: 1150 }, "5020436373108": { USD: 1300, EUR: 1200 },
  };
  for (const [sku, prices] of Object.entries(skus)) await makeProduct({ sku, name: `Product ${sku}`, prices });
}

export type ChannelSpec = { format: IntakeFormat; secret?: string; rules?: Record<string, unknown>; defaultAccountId?: string; defaultBranchId?: string; csvMapping?: Record<string, string> };

export async function makeChannel(spec: ChannelSpec) {
  const supplier = await makeSupplier();
  return asOperator(async (tx) => {
    const [channel] = await tx.insert(intakeChannels).values({
      orgId: supplier.id, name: unique(`${spec.format} channel`), format: spec.format, tokenHash: createHash("sha256").update(randomBytes(16)).digest("hex"),
      rules: spec.rules ?? {}, defaultAccountId: spec.defaultAccountId ?? null, defaultBranchId: spec.defaultBranchId ?? null, csvMapping: spec.csvMapping ?? null,
    }).returning();
    if (spec.secret) await tx.update(intakeChannels).set({ secretSealed: sealSecret(spec.secret, channel!.id) }).where(eq(intakeChannels.id, channel!.id));
    return channel!;
  });
}

export async function mapSender(channel: { id: string; orgId: string }, senderId: string, accountId: string, branchId: string | null = null, rules: Record<string, unknown> = {}) {
  await asOperator((tx) => tx.insert(intakeChannelMappings).values({ orgId: channel.orgId, channelId: channel.id, senderId, accountId, branchId, rules }));
}

export async function addXref(channel: { id: string; orgId: string }, accountId: string, buyerPart: string, sku: string) {
  await asOperator((tx) => tx.insert(intakeXrefs).values({ orgId: channel.orgId, channelId: channel.id, accountId, buyerPart, sku }));
}

/** Stores a payload in the inbox as acceptance does (same bytes on the same channel → the same row). */
export async function storeMessage(channel: { id: string; orgId: string }, raw: Buffer | string, headers: Record<string, string> = {}) {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const rawSha256 = createHash("sha256").update(bytes).digest("hex");
  return asOperator(async (tx) => {
    const [row] = await tx.insert(intakeMessages).values({ orgId: channel.orgId, channelId: channel.id, raw: bytes, rawSha256, headers }).onConflictDoNothing().returning({ id: intakeMessages.id });
    if (row) return row.id;
    const [existing] = await tx.select({ id: intakeMessages.id }).from(intakeMessages).where(and(eq(intakeMessages.channelId, channel.id), eq(intakeMessages.rawSha256, rawSha256)));
    return existing!.id;
  });
}

export async function readMessage(messageId: string) {
  return asOperator(async (tx) => {
    const [message] = await tx.select({ status: intakeMessages.status, attempts: intakeMessages.attempts, lastError: intakeMessages.lastError }).from(intakeMessages).where(eq(intakeMessages.id, messageId));
    const documents = await tx.select().from(intakeDocuments).where(eq(intakeDocuments.messageId, messageId)).orderBy(intakeDocuments.index);
    const deadLetters = await tx.select().from(intakeDeadLetters).where(eq(intakeDeadLetters.messageId, messageId)).orderBy(intakeDeadLetters.createdAt);
    return { ...message!, documents, deadLetters };
  });
}

export async function readOrder(orderId: string) {
  return asOperator(async (tx) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId));
    const lines = await tx.select({ sku: orderLines.sku, quantity: orderLines.quantity, unitPriceMinor: orderLines.unitPriceMinor, totalMinor: orderLines.totalMinor }).from(orderLines).where(eq(orderLines.orderId, orderId)).orderBy(orderLines.lineNo);
    return { ...order!, lines };
  });
}

export async function countOrders(accountId: string) {
  return asOperator(async (tx) => (await tx.select({ id: orders.id }).from(orders).where(eq(orders.orgId, accountId))).length);
}
