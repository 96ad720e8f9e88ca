import { convertToBaseMinor, type AccountTerms } from "@/lib/accounts/account-terms";
import type { LimitToBase } from "./routing";

/** Approval limits compared in the account's base currency, through the account's own rates. */
export function limitToBaseWith(terms: AccountTerms | null): LimitToBase {
  return (limit) => (terms ? convertToBaseMinor(terms, limit.amountMinor, limit.currency) : null);
}
