import { and, gte, inArray, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { orderMonthlyTotals } from "@/db/schema";
import type { AccountTerms } from "./account-terms";
import { convertMinor } from "./money";
import type { AccountSummary } from "./schemas";

// Orders "in play": placed and neither rejected nor cancelled (drafts are not placed yet).
const PLACED = new Set(["submitted", "approved", "fulfilled"]);

/** The first day of each of the last 12 months (UTC), oldest first. */
export function last12Months(now = new Date()): string[] {
  const out: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Order count and value per month, and orders waiting for approval, for a page of accounts. Read
 * from the monthly rollup (a few rows per account and month), never from the orders themselves,
 * so it costs the same at 10M orders as at 10. Values are converted to each account's base
 * currency with its rates; a currency it has no rate for any more is reported, not guessed.
 */
export async function loadAccountActivity(db: Executor, accountIds: string[], termsById: Map<string, AccountTerms>, now = new Date()) {
  const months = last12Months(now);
  const out = new Map<string, Pick<AccountSummary, "last12Months" | "waitingForApproval">>();
  for (const id of accountIds) out.set(id, { last12Months: { orderCount: 0, valueMinor: 0, unconvertedCurrencies: [], months: months.map((month) => ({ month, orderCount: 0, valueMinor: 0 })) }, waitingForApproval: 0 });
  if (accountIds.length === 0) return out;
  const rows = await db
    .select({ orgId: orderMonthlyTotals.orgId, month: orderMonthlyTotals.month, currency: orderMonthlyTotals.currency, status: orderMonthlyTotals.status, orderCount: orderMonthlyTotals.orderCount, totalMinor: orderMonthlyTotals.totalMinor })
    .from(orderMonthlyTotals)
    .where(and(inArray(orderMonthlyTotals.orgId, accountIds), or(gte(orderMonthlyTotals.month, months[0]!), sql`${orderMonthlyTotals.status} = 'submitted'`)));
  for (const row of rows) {
    const entry = out.get(row.orgId)!;
    if (row.status === "submitted") entry.waitingForApproval += row.orderCount;
    const slot = entry.last12Months.months.find((m) => m.month === row.month);
    if (!slot || !PLACED.has(row.status)) continue;
    slot.orderCount += row.orderCount;
    entry.last12Months.orderCount += row.orderCount;
    const terms = termsById.get(row.orgId);
    const rate = terms?.currencies.find((c) => c.currency === row.currency);
    if (!terms || !rate) {
      if (!entry.last12Months.unconvertedCurrencies.includes(row.currency)) entry.last12Months.unconvertedCurrencies.push(row.currency);
      continue;
    }
    const value = convertMinor(row.totalMinor, row.currency, terms.baseCurrency, rate.rateToBase);
    slot.valueMinor += value;
    entry.last12Months.valueMinor += value;
  }
  return out;
}
