import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountCurrencies, accounts } from "@/db/schema";
import { isUuid } from "@/lib/core/ids";
import { convertMinor, normalizeRate } from "./money";

export interface AccountCurrency {
  currency: string;
  /** One unit of `currency` is this many units of the base currency ("1" for the base). */
  rateToBase: string;
  isBase: boolean;
}

/** What an account orders in: readable by the account itself and by the supplier's staff. */
export interface AccountTerms {
  accountOrgId: string;
  baseCurrency: string;
  currencies: AccountCurrency[];
}

/** What only the supplier sees about an account (supplier-internal: see ADR 0013). */
export interface AccountStanding {
  accountOrgId: string;
  supplierId: string;
  tier: string;
  /** In the base currency; null when no limit is set. */
  creditLimitMinor: number | null;
}

/**
 * The account's currencies and rates, or null when the org has no account with the supplier.
 * Works in the customer's own transaction (its own terms) and in the supplier scope; anywhere
 * else row-level security shows nothing and this returns null.
 */
export async function loadAccountTerms(db: Executor, accountOrgId: string): Promise<AccountTerms | null> {
  if (!isUuid(accountOrgId)) return null;
  const rows = await db
    .select({ currency: accountCurrencies.currency, rateToBase: accountCurrencies.rateToBase, isBase: accountCurrencies.isBase })
    .from(accountCurrencies)
    .where(eq(accountCurrencies.orgId, accountOrgId))
    .orderBy(asc(accountCurrencies.currency));
  const base = rows.find((r) => r.isBase);
  if (!base) return null;
  // The base first, then the others alphabetically: the order forms and pickers show.
  const currencies = [base, ...rows.filter((r) => !r.isBase)].map((r) => ({ currency: r.currency, rateToBase: normalizeRate(r.rateToBase), isBase: r.isBase }));
  return { accountOrgId, baseCurrency: base.currency, currencies };
}

/** Tier and credit limit: only inside the supplier scope (readAsSupplier / enterSupplierScope); null elsewhere. */
export async function loadAccountStanding(db: Executor, accountOrgId: string): Promise<AccountStanding | null> {
  if (!isUuid(accountOrgId)) return null;
  const [row] = await db
    .select({ accountOrgId: accounts.orgId, supplierId: accounts.supplierId, tier: accounts.tier, creditLimitMinor: accounts.creditLimitMinor })
    .from(accounts)
    .where(and(eq(accounts.orgId, accountOrgId)));
  return row ?? null;
}

/** Whether the account orders in `currency`. */
export function usesCurrency(terms: AccountTerms, currency: string): boolean {
  return terms.currencies.some((c) => c.currency === currency);
}

/**
 * An amount in one of the account's currencies, in its base currency's minor units (for rule
 * totals such as "over USD 5,000"). Null for a currency the account does not use.
 */
export function convertToBaseMinor(terms: AccountTerms, amountMinor: number, currency: string): number | null {
  const entry = terms.currencies.find((c) => c.currency === currency);
  return entry ? convertMinor(amountMinor, currency, terms.baseCurrency, entry.rateToBase) : null;
}
