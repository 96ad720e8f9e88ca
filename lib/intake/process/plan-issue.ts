import type { IssueCode } from "../parse-result";

// The reasons and flags a document can carry after parsing: the parsers' own codes, and the ones the
// channel's rules and the inbox add. Stored as intake_documents.reason / flags and shown as is.

export type PlanCode =
  | IssueCode
  | "no-account" | "no-branch" | "unknown-sku" | "free-text-line" | "no-price" | "currency-not-allowed"
  | "ship-to-unknown" | "totals-mismatch" | "date-window" | "update-conflict" | "update-without-original"
  | "cancel-requested" | "credentials" | "not-permitted" | "transient" | "retries-exhausted";

export type PlanIssue = { code: PlanCode; message: string; location: string };

/** Like the parsers' issue(): the message starts with where, so a reason reads on its own. */
export function planIssue(code: PlanCode, location: string, message: string): PlanIssue {
  return { code, location, message: location ? `${location}: ${message}` : message };
}
