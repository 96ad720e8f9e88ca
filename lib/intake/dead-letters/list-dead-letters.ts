import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { intakeChannels, intakeDeadLetters, intakeDocuments } from "@/db/schema";
import { can } from "@/lib/access/access";
import { findSupplier } from "@/lib/accounts/find-supplier";
import type { Principal } from "@/lib/core/context";
import { cursorInstant, decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import type { DeadLetterListQuery } from "./schemas";

// The dead-letter queue, worked from the top. sort=impact ranks by the stored impact (value × tier
// weight) times the age factor (1 + days waited) as of one instant, which the cursor carries, so every
// page of a listing ranks alike while time passes (lib/intake/process/impact-score.ts). sort=age is
// oldest first. Both are keyset pages ending in the id.

export type DeadLetterView = {
  id: string;
  messageId: string;
  channel: { id: string; name: string; format: string };
  documentIndex: number | null;
  documentNumber: string | null;
  reason: { code: string; message: string; location: string | null };
  impact: number;
  state: "open" | "replayed" | "discarded";
  discardReason: string | null;
  valueMinor: number | null;
  currency: string | null;
  accountId: string | null;
  createdAt: string;
  resolvedAt: string | null;
};

export type DeadLetterPage = { items: DeadLetterView[]; nextCursor: string | null; asOf: string };

/** Supplier members holding intake:manage only: raw payloads and reasons quote the senders' data. */
export async function assertIntakeManager(tx: Tx, principal: Principal): Promise<string> {
  const supplier = await findSupplier(tx);
  if (!supplier || principal.org?.id !== supplier.id) throw new ForbiddenError("Only the supplier's staff can do that.", "intake:manage");
  if (!can(principal.access, "intake:manage", "")) throw new ForbiddenError(undefined, "intake:manage");
  return supplier.id;
}

export async function listDeadLetters(tx: Tx, principal: Principal, query: DeadLetterListQuery, now = new Date()): Promise<DeadLetterPage> {
  const orgId = await assertIntakeManager(tx, principal);
  const dir = query.sort === "impact" ? "desc" : "asc";
  const position = query.cursor ? decodeCursor(query.cursor, { sort: query.sort, dir, field: "cursor" }) : null;
  let asOf = now;
  let after: SQL | undefined;
  const score = (at: Date) => sql<string>`round(${intakeDeadLetters.impact} * (1 + extract(epoch from (${at.toISOString()}::timestamptz - ${intakeDeadLetters.createdAt})) / 86400), 6)`;
  if (position && query.sort === "impact") {
    const [instant, value] = String(position.value).split("|");
    asOf = cursorInstant(instant, "cursor");
    if (!value || !/^\d{1,20}(\.\d{1,6})?$/.test(value)) throw new ValidationError({ cursor: ["is not a cursor this server issued"] });
    after = or(lt(score(asOf), sql`${value}::numeric`), and(eq(score(asOf), sql`${value}::numeric`), lt(intakeDeadLetters.id, position.id)));
  } else if (position) {
    const at = cursorInstant(position.value, "cursor");
    after = or(gt(intakeDeadLetters.createdAt, at), and(eq(intakeDeadLetters.createdAt, at), gt(intakeDeadLetters.id, position.id)));
  }
  const ranked = score(asOf);
  const rows = await tx
    .select({ letter: intakeDeadLetters, channelName: intakeChannels.name, format: intakeChannels.format, documentNumber: intakeDocuments.documentNumber, valueMinor: intakeDocuments.valueMinor, currency: intakeDocuments.currency, accountId: intakeDocuments.accountId, score: ranked })
    .from(intakeDeadLetters)
    .innerJoin(intakeChannels, eq(intakeChannels.id, intakeDeadLetters.channelId))
    .leftJoin(intakeDocuments, and(eq(intakeDocuments.messageId, intakeDeadLetters.messageId), eq(intakeDocuments.index, intakeDeadLetters.documentIndex)))
    .where(and(eq(intakeDeadLetters.orgId, orgId), eq(intakeDeadLetters.state, query.state), after))
    .orderBy(...(query.sort === "impact" ? [desc(ranked), desc(intakeDeadLetters.id)] : [asc(intakeDeadLetters.createdAt), asc(intakeDeadLetters.id)]))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last
    ? encodeCursor(query.sort, dir, query.sort === "impact" ? `${asOf.toISOString()}|${last.score}` : last.letter.createdAt.toISOString(), last.letter.id)
    : null;
  return {
    asOf: asOf.toISOString(),
    nextCursor,
    items: page.map((r) => ({
      id: r.letter.id,
      messageId: r.letter.messageId,
      channel: { id: r.letter.channelId, name: r.channelName, format: r.format },
      documentIndex: r.letter.documentIndex,
      documentNumber: r.documentNumber,
      reason: { code: r.letter.reason.code, message: r.letter.reason.message, location: r.letter.reason.location ?? null },
      impact: Number(r.score),
      state: r.letter.state,
      discardReason: r.letter.discardReason,
      valueMinor: r.valueMinor,
      currency: r.currency,
      accountId: r.accountId,
      createdAt: r.letter.createdAt.toISOString(),
      resolvedAt: r.letter.resolvedAt?.toISOString() ?? null,
    })),
  };
}
