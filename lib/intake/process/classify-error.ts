import { AppError, ConflictError, ValidationError } from "@/lib/core/errors";
import { violatedUniqueIndex } from "@/lib/core/unique-violation";
import { planIssue, type PlanIssue } from "./plan-issue";

// Transient or permanent? A transient error is retried with backoff (the database was busy, restarted
// or lost the connection, or another worker raced us to the same document); anything else will fail
// the same way again, so it goes to the dead-letter queue with its reason.

const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300", "08000", "08001", "08003", "08004", "08006", "08P01"]);
const TRANSIENT_DRIVER_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"]);
// Two workers inserting the same document: the loser retries and then finds the winner's row.
const RACED_INDEXES = new Set(["intake_documents_message_index_uq", "intake_documents_idempotency_uq", "intake_dead_letters_pkey"]);

export class TransientIntakeError extends Error {
  constructor(message: string, readonly cause?: unknown) { super(message); }
}

export function isTransient(error: unknown): boolean {
  if (error instanceof TransientIntakeError) return true;
  const index = violatedUniqueIndex(error);
  if (index && RACED_INDEXES.has(index)) return true;
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_DRIVER_CODES.has(code))) return true;
  }
  return false;
}

/** A command's refusal as a document's reason, in the command's own plain words (never a stack). */
export function reasonFromError(error: unknown): PlanIssue {
  if (error instanceof ValidationError) {
    const fields = Object.entries(error.fieldErrors).map(([field, reasons]) => `${field}: ${reasons.join("; ")}`);
    // Each part already starts with its field, as every reason starts with where it is.
    return { code: "invalid-value", location: Object.keys(error.fieldErrors)[0] ?? "", message: fields.join(". ") || error.message };
  }
  if (error instanceof ConflictError) return planIssue("update-conflict", "", error.message);
  if (error instanceof AppError) return planIssue("not-permitted", "", error.message);
  return planIssue("unexpected", "", "the order could not be processed; the error is in the worker's log");
}

/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes, each a random part of it. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export const MAX_ATTEMPTS = 8;
