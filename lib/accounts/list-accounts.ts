import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountCurrencies, accounts, organizations } from "@/db/schema";
import type { OrgRef } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { isUuid } from "@/lib/core/ids";
import { loadAccountActivity } from "./account-activity";
import type { AccountTerms } from "./account-terms";
import { normalizeRate } from "./money";
import type { AccountListQuery, AccountSummary } from "./schemas";

/**
 * One page of the supplier's accounts by name, each with its tier, terms and activity. Run it
 * inside readAsSupplier: it filters by the supplier itself, and row-level security shows the
 * accounts only in the supplier scope.
 */
export async function listAccounts(db: Executor, supplier: OrgRef, query: AccountListQuery): Promise<{ data: AccountSummary[]; nextCursor: string | null }> {
  const conditions = [eq(accounts.supplierId, supplier.id)];
  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor, { sort: "name", dir: "asc", field: "cursor" });
    conditions.push(sql`(lower(${organizations.name}), ${organizations.id}) > (${String(value)}, ${id}::uuid)`);
  }
  const rows = await db
    .select({ id: accounts.orgId, name: organizations.name, slug: organizations.slug, tier: accounts.tier, creditLimitMinor: accounts.creditLimitMinor })
    .from(accounts)
    .innerJoin(organizations, eq(organizations.id, accounts.orgId))
    .where(and(...conditions))
    .orderBy(asc(sql`lower(${organizations.name})`), asc(organizations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const data = await withTermsAndActivity(db, page);
  const last = page[page.length - 1];
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor("name", "asc", last.name.toLowerCase(), last.id) : null };
}

/** One account of the supplier, with the same fields as the list; null when it is not one. */
export async function getAccount(db: Executor, supplier: OrgRef, accountId: string): Promise<AccountSummary | null> {
  if (!isUuid(accountId)) return null;
  const rows = await db
    .select({ id: accounts.orgId, name: organizations.name, slug: organizations.slug, tier: accounts.tier, creditLimitMinor: accounts.creditLimitMinor })
    .from(accounts)
    .innerJoin(organizations, eq(organizations.id, accounts.orgId))
    .where(and(eq(accounts.supplierId, supplier.id), eq(accounts.orgId, accountId)));
  const [account] = await withTermsAndActivity(db, rows);
  return account ?? null;
}

type AccountRow = { id: string; name: string; slug: string; tier: string; creditLimitMinor: number | null };

async function withTermsAndActivity(db: Executor, rows: AccountRow[]): Promise<AccountSummary[]> {
  const ids = rows.map((r) => r.id);
  const currencyRows = ids.length
    ? await db.select({ orgId: accountCurrencies.orgId, currency: accountCurrencies.currency, rateToBase: accountCurrencies.rateToBase, isBase: accountCurrencies.isBase }).from(accountCurrencies).where(inArray(accountCurrencies.orgId, ids)).orderBy(asc(accountCurrencies.currency))
    : [];
  const termsById = new Map<string, AccountTerms>();
  for (const id of ids) {
    const mine = currencyRows.filter((c) => c.orgId === id).map((c) => ({ currency: c.currency, rateToBase: normalizeRate(c.rateToBase), isBase: c.isBase }));
    const base = mine.find((c) => c.isBase);
    if (base) termsById.set(id, { accountOrgId: id, baseCurrency: base.currency, currencies: [base, ...mine.filter((c) => !c.isBase)] });
  }
  const activity = await loadAccountActivity(db, ids, termsById);
  return rows.map((r) => {
    const terms = termsById.get(r.id);
    return { ...r, baseCurrency: terms?.baseCurrency ?? null, currencies: terms?.currencies ?? [], ...activity.get(r.id)! };
  });
}

/** Customer organizations that have no account yet, for the "open an account" picker. */
export async function listOrgsWithoutAccount(db: Executor, limit = 200): Promise<Array<{ id: string; name: string; slug: string }>> {
  return db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .leftJoin(accounts, eq(accounts.orgId, organizations.id))
    .where(and(eq(organizations.kind, "account"), sql`${accounts.orgId} is null`))
    .orderBy(asc(sql`lower(${organizations.name})`))
    .limit(limit);
}
