import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accountCurrencies } from "@/db/schema";
import { ValidationError } from "@/lib/core/errors";
import { normalizeRate } from "./money";

/**
 * Replaces an account's currency list: the base at rate 1, then the others. Written inside the
 * calling command's transaction, in the supplier scope (row-level security allows nothing else).
 */
export async function replaceAccountCurrencies(tx: Tx, accountOrgId: string, baseCurrency: string, others: Array<{ currency: string; rateToBase: string }>): Promise<void> {
  const rest = others.filter((c) => c.currency !== baseCurrency || normalizeRate(c.rateToBase) !== "1");
  const clash = rest.findIndex((c) => c.currency === baseCurrency);
  if (clash >= 0) throw new ValidationError({ [`currencies.${clash}.rateToBase`]: [`${baseCurrency} is the base currency, so its rate is 1`] });
  await tx.delete(accountCurrencies).where(eq(accountCurrencies.orgId, accountOrgId));
  await tx.insert(accountCurrencies).values([
    { orgId: accountOrgId, currency: baseCurrency, rateToBase: "1", isBase: true },
    ...rest.map((c) => ({ orgId: accountOrgId, currency: c.currency, rateToBase: c.rateToBase.trim(), isBase: false })),
  ]);
}
