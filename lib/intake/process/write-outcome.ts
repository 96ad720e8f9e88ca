import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { intakeDeadLetters, intakeDocuments } from "@/db/schema";
import { encodeControlChars } from "@/lib/audit/encode-control-chars";
import { baseImpact } from "./impact-score";
import { currencyDigits } from "./minor-units";
import type { DocumentStatus } from "./plan-document";
import type { PlanIssue } from "./plan-issue";

// The rows a document's outcome leaves: its intake_documents row (one per message and index, rewritten
// in place by a replay) and, for a refusal, an open dead letter ranked by impact.

export type DocumentOutcome = {
  orgId: string;
  channelId: string;
  messageId: string;
  index: number;
  documentNumber: string | null;
  sender: string | null;
  /** Only for an outcome that took effect (created, updated, held): the idempotency key's last part. */
  contentHash: string | null;
  status: DocumentStatus;
  orderId: string | null;
  accountId: string | null;
  flags: PlanIssue[];
  reason: PlanIssue | null;
  valueMinor: number | null;
  currency: string | null;
};

/**
 * Reasons quote the sender's bytes, which may hold NUL or other control characters: PostgreSQL's jsonb
 * refuses \u0000, and a reader must see them rather than have them reorder a line, so they are encoded.
 */
export function storableReason(reason: PlanIssue): PlanIssue {
  return { code: reason.code, location: encodeControlChars(reason.location).slice(0, 500), message: encodeControlChars(reason.message).slice(0, 2000) };
}

export async function writeDocumentOutcome(db: Executor, o: DocumentOutcome): Promise<void> {
  const values = {
    orgId: o.orgId, channelId: o.channelId, messageId: o.messageId, index: o.index, sender: o.sender === null ? null : encodeControlChars(o.sender),
    contentHash: o.contentHash, status: o.status, orderId: o.orderId, accountId: o.accountId,
    // Flags are stored as their messages (each starts with where it is), the codes kept in the reason.
    flags: o.flags.map((f) => encodeControlChars(`${f.code}: ${f.message}`).slice(0, 1000)),
    reason: o.reason ? storableReason(o.reason) : null,
    documentNumber: o.documentNumber === null ? null : encodeControlChars(o.documentNumber), valueMinor: o.valueMinor, currency: o.currency,
  };
  await db.insert(intakeDocuments).values(values).onConflictDoUpdate({
    target: [intakeDocuments.messageId, intakeDocuments.index],
    set: { ...values, updatedAt: sql`now()` },
  });
}

export async function writeDeadLetter(
  db: Executor,
  letter: { orgId: string; channelId: string; messageId: string; documentIndex: number | null; reason: PlanIssue; valueMinor: number | null; currency: string | null; tier: string | null },
): Promise<string> {
  const impact = baseImpact(letter.valueMinor, letter.currency ? currencyDigits(letter.currency) : 2, letter.tier);
  const [row] = await db
    .insert(intakeDeadLetters)
    .values({ orgId: letter.orgId, channelId: letter.channelId, messageId: letter.messageId, documentIndex: letter.documentIndex, reason: storableReason(letter.reason), impact: impact.toFixed(4) })
    .returning({ id: intakeDeadLetters.id });
  return row!.id;
}
