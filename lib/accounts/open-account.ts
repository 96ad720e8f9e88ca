import type { CommandTx } from "@/lib/core/command-tx";
import { eq } from "drizzle-orm";
import { accountCurrencies, accounts, organizations } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ValidationError } from "@/lib/core/errors";
import { normalizeRate } from "./money";
import { enterSupplierScope } from "./supplier-scope";
import { openAccountSchema } from "./schemas";

/**
 * Opens an account for a customer organization: its tier, credit limit and currencies. Its
 * members can then browse the catalog and order in those currencies. Supplier staff with
 * accounts:manage (or the operator acting for the supplier).
 */
export const openAccountCommand = defineCommand({
  name: "account.opened",
  description: "The supplier opened an account for a customer organization (tier, credit limit, base currency and other currencies with their rates). Filed under the supplier's chain.",
  access: { permission: "accounts:manage" },
  input: openAccountSchema,
  async run(ctx, input) {
    const supplier = await enterSupplierScope(ctx, "accounts:manage");
    const { tx } = ctx;
    const [org] = await tx.select({ id: organizations.id, name: organizations.name, kind: organizations.kind }).from(organizations).where(eq(organizations.id, input.orgId));
    if (!org || org.kind !== "account") notFound("Organization");
    const [existing] = await tx.select({ id: accounts.orgId }).from(accounts).where(eq(accounts.orgId, org.id));
    if (existing) throw new ConflictError(`${org.name} already has an account.`, "orgId");
    await tx.insert(accounts).values({ orgId: org.id, supplierId: supplier.id, tier: input.tier, creditLimitMinor: input.creditLimitMinor });
    await replaceAccountCurrencies(tx, org.id, input.baseCurrency, input.currencies);
    return {
      result: { id: org.id, name: org.name },
      target: { type: "account", id: org.id },
      metadata: { after: { account: org.name, tier: input.tier, baseCurrency: input.baseCurrency, creditLimitMinor: input.creditLimitMinor, currencies: input.currencies } },
    };
  },
});

/**
 * Replaces an account's currency list: the base at rate 1, then the others. Written inside the
 * calling command's transaction, in the supplier scope (row-level security allows nothing else).
 */
export async function replaceAccountCurrencies(tx: CommandTx, accountOrgId: string, baseCurrency: string, others: Array<{ currency: string; rateToBase: string }>): Promise<void> {
  const rest = others.filter((c) => c.currency !== baseCurrency || normalizeRate(c.rateToBase) !== "1");
  const clash = rest.findIndex((c) => c.currency === baseCurrency);
  if (clash >= 0) throw new ValidationError({ [`currencies.${clash}.rateToBase`]: [`${baseCurrency} is the base currency, so its rate is 1`] });
  await tx.delete(accountCurrencies).where(eq(accountCurrencies.orgId, accountOrgId));
  await tx.insert(accountCurrencies).values([
    { orgId: accountOrgId, currency: baseCurrency, rateToBase: "1", isBase: true },
    ...rest.map((c) => ({ orgId: accountOrgId, currency: c.currency, rateToBase: c.rateToBase.trim(), isBase: false })),
  ]);
}
