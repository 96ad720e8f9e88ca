import { eq, sql } from "drizzle-orm";
import { accounts, organizations } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { loadAccountStanding, loadAccountTerms } from "./account-terms";
import { enterSupplierScope } from "./supplier-scope";
import { updateAccountSchema } from "./schemas";
import { replaceAccountCurrencies } from "./open-account";

/** Changes an account's tier, credit limit and/or currency list. Supplier staff with accounts:manage. */
export const updateAccountCommand = defineCommand({
  name: "account.updated",
  description: "The supplier changed an account's tier, credit limit or currencies (before and after in the metadata). Filed under the supplier's chain.",
  access: { permission: "accounts:manage" },
  input: updateAccountSchema,
  async run(ctx, input) {
    await enterSupplierScope(ctx, "accounts:manage");
    const { tx } = ctx;
    const standing = (await loadAccountStanding(tx, input.accountId)) ?? notFound("Account");
    const terms = (await loadAccountTerms(tx, input.accountId)) ?? notFound("Account");
    const changesCurrencies = input.currencies !== undefined || input.baseCurrency !== undefined;
    if (changesCurrencies && input.currencies === undefined) throw new ValidationError({ currencies: ["is required when the base currency changes: give every other currency's rate to the new base"] });
    const newBase = input.baseCurrency !== undefined && input.baseCurrency !== terms.baseCurrency;
    if (newBase && input.creditLimitMinor === undefined && standing.creditLimitMinor !== null) {
      throw new ValidationError({ creditLimitMinor: [`is in ${terms.baseCurrency} today: give it again in ${input.baseCurrency} (or null) when the base currency changes`] });
    }
    if (input.tier === undefined && input.creditLimitMinor === undefined && !changesCurrencies) throw new ValidationError({ "": ["give tier, creditLimitMinor and/or currencies"] });

    await tx
      .update(accounts)
      .set({ tier: input.tier ?? standing.tier, creditLimitMinor: input.creditLimitMinor === undefined ? standing.creditLimitMinor : input.creditLimitMinor, updatedAt: sql`now()` })
      .where(eq(accounts.orgId, standing.accountOrgId));
    const baseCurrency = input.baseCurrency ?? terms.baseCurrency;
    if (input.currencies) await replaceAccountCurrencies(tx, standing.accountOrgId, baseCurrency, input.currencies);
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, standing.accountOrgId));
    const others = (t: typeof terms) => t.currencies.filter((c) => !c.isBase).map(({ currency, rateToBase }) => ({ currency, rateToBase }));
    return {
      result: { id: standing.accountOrgId },
      target: { type: "account", id: standing.accountOrgId },
      metadata: {
        account: org?.name,
        before: { tier: standing.tier, creditLimitMinor: standing.creditLimitMinor, baseCurrency: terms.baseCurrency, currencies: others(terms) },
        after: {
          tier: input.tier ?? standing.tier,
          creditLimitMinor: input.creditLimitMinor === undefined ? standing.creditLimitMinor : input.creditLimitMinor,
          baseCurrency,
          currencies: input.currencies ?? others(terms),
        },
      },
    };
  },
});
