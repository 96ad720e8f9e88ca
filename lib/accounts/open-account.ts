import { eq } from "drizzle-orm";
import { accounts, organizations } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { enterSupplierScope } from "./supplier-scope";
import { openAccountSchema } from "./schemas";
import { replaceAccountCurrencies } from "./write-account-currencies";

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
