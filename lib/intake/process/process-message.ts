import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { intakeDocuments, intakeMessages } from "@/db/schema";
import type { RequestMeta } from "@/lib/core/context";
import { openSecret } from "@/lib/mfa/secret-box";
import { parsePayload, type IntakeFormat, type ParseOptions } from "../parse-payload";
import type { CsvMapping } from "../parse-csv";
import { checkCxmlSecret } from "./check-cxml-secret";
import { isTransient, MAX_ATTEMPTS, retryDelayMs } from "./classify-error";
import { loadChannelSetup, type ChannelSetup } from "./load-document-context";
import type { DocumentStatus } from "./plan-document";
import { planIssue, type PlanIssue } from "./plan-issue";
import { processDocument, type DocumentResult } from "./process-document";
import { storableReason, writeDeadLetter } from "./write-outcome";

// The intake.process job's body: one inbox message → its documents' outcomes. Idempotent: a document
// with a row is done (unless a replay asks for failed ones again), so a job run twice, or a run after
// a crash, creates nothing twice. The message row is the record of truth; the job is only a nudge.

export type ProcessOptions = {
  db?: Db;
  now?: Date;
  /** A replay: documents that were rejected or dead-lettered are processed again. */
  retryFailed?: boolean;
  /** A replay of one document's dead letter: only that document is processed again. */
  onlyIndex?: number | null;
  /** A corrected payload, used instead of the raw bytes (which never change). */
  payload?: Buffer;
  afterOrder?: (index: number) => void | Promise<void>;
};

export type ProcessResult =
  | { status: "done" | "dead_letter"; channelId: string; documents: DocumentResult[] }
  | { status: "retry"; channelId: string; delayMs: number; reason: PlanIssue }
  | { status: "skipped"; channelId: string | null };

const SKIP_AGAIN: ReadonlySet<DocumentStatus> = new Set(["created", "updated", "duplicate", "held"]);

export async function processMessage(messageId: string, options: ProcessOptions = {}): Promise<ProcessResult> {
  const db = options.db ?? getDb();
  const claimed = await claimMessage(db, messageId);
  if (!claimed) return { status: "skipped", channelId: null };
  const { message } = claimed;
  try {
    const { setup } = claimed;
    if (!setup) return { status: "skipped", channelId: message.channelId };
    return await processClaimed(db, { ...claimed, setup }, options);
  } catch (error) {
    if (isTransient(error)) return scheduleRetry(db, message, error);
    // Anything else is a bug or a crash: the message stays `processing` for the job's own retry and
    // the stalled-message sweep, but never forever: past MAX_ATTEMPTS it becomes a dead letter.
    if (message.attempts >= MAX_ATTEMPTS) {
      console.error(`intake: message ${message.id} failed ${message.attempts} times`, error);
      await deadLetterMessage(db, message, planIssue("retries-exhausted", "", `processing failed ${message.attempts} times with an unexpected error; the error is in the worker's log`));
      return { status: "dead_letter", channelId: message.channelId, documents: [] };
    }
    throw error;
  }
}

type ClaimedMessage = { id: string; orgId: string; channelId: string; raw: Buffer; headers: Record<string, string>; attempts: number };
type EarlierDocument = { index: number; status: DocumentStatus; orderId: string | null; reason: unknown };
type Claimed = { message: ClaimedMessage; setup: ChannelSetup | null; earlier: EarlierDocument[] };

/** One transaction: the message moves to processing, with its channel's setup and the documents already done. */
async function claimMessage(db: Db, messageId: string): Promise<Claimed | null> {
  return withTenantScope(operator(null), async (tx) => {
    const [row] = await tx
      .update(intakeMessages)
      .set({ status: "processing", attempts: sql`${intakeMessages.attempts} + 1`, updatedAt: sql`now()` })
      .where(and(eq(intakeMessages.id, messageId), inArray(intakeMessages.status, ["received", "processing"])))
      .returning({ id: intakeMessages.id, orgId: intakeMessages.orgId, channelId: intakeMessages.channelId, raw: intakeMessages.raw, headers: intakeMessages.headers, attempts: intakeMessages.attempts });
    if (!row) return null;
    const [setup, earlier] = await Promise.all([
      loadChannelSetup(tx, row.channelId),
      tx.select({ index: intakeDocuments.index, status: intakeDocuments.status, orderId: intakeDocuments.orderId, reason: intakeDocuments.reason })
        .from(intakeDocuments).where(and(eq(intakeDocuments.orgId, row.orgId), eq(intakeDocuments.messageId, row.id))),
    ]);
    return { message: row, setup, earlier };
  }, db);
}

async function processClaimed(db: Db, claimed: Claimed & { setup: ChannelSetup }, options: ProcessOptions): Promise<ProcessResult> {
  const { message, setup } = claimed;
  const { channel } = setup;
  const format = channel.format as IntakeFormat;
  const parsed = parsePayload(format, options.payload ?? message.raw, parseOptionsOf(setup, message.headers));
  const refusal = !parsed.ok ? parsed.error : format === "cxml" ? checkCxmlSecret(parsed.envelope, openChannelSecret(setup)) : null;
  if (refusal || !parsed.ok) {
    await deadLetterMessage(db, message, refusal!);
    return { status: "dead_letter", channelId: channel.id, documents: [] };
  }
  const byIndex = new Map(claimed.earlier.map((d) => [d.index, d]));
  const meta: RequestMeta = { ip: null, userAgent: "intake-worker", requestId: `intake:${message.id}` };
  const now = options.now ?? new Date();
  const results: DocumentResult[] = [];
  for (const document of parsed.documents) {
    const earlier = byIndex.get(document.index);
    const leftAlone = options.onlyIndex !== undefined && options.onlyIndex !== null && options.onlyIndex !== document.index;
    if (earlier && (SKIP_AGAIN.has(earlier.status) || !options.retryFailed || leftAlone)) {
      results.push({ index: earlier.index, status: earlier.status, orderId: earlier.orderId, reason: (earlier.reason as PlanIssue | null) ?? null });
      continue;
    }
    results.push(await processDocument(db, { setup, messageId: message.id, format, document, documentCount: parsed.documents.length, now, meta: { ...meta, requestId: `${meta.requestId}:${document.index}` }, afterOrder: options.afterOrder }));
  }
  const sender = parsed.documents.map((d) => d.order?.senders[0]).find(Boolean);
  await withTenantScope(operator(message.orgId), (tx) =>
    tx.update(intakeMessages)
      .set({ status: "done", lastError: null, nextAttemptAt: null, updatedAt: sql`now()`, ...(sender ? { sender: `${sender.scheme}:${sender.value}`.slice(0, 300) } : {}) })
      .where(and(eq(intakeMessages.orgId, message.orgId), eq(intakeMessages.id, message.id))), db);
  return { status: "done", channelId: channel.id, documents: results };
}

function parseOptionsOf(setup: ChannelSetup, headers: Record<string, string>): ParseOptions {
  const { channel } = setup;
  const header = (name: string) => (Object.hasOwn(headers, name) ? headers[name] : undefined);
  return {
    maxBytes: channel.maxBodyBytes,
    csv: channel.csvMapping ? { mapping: channel.csvMapping as unknown as CsvMapping } : undefined,
    shopify: { shopDomain: header("x-shopify-shop-domain"), topic: header("x-shopify-topic") },
  };
}

function openChannelSecret(setup: ChannelSetup): string | null {
  const sealed = setup.channel.secretSealed;
  if (!sealed) return null;
  try {
    return openSecret(sealed, setup.channel.id);
  } catch {
    return null;
  }
}

/** The whole message failed (it did not parse, or its credential is wrong): one dead letter for all of it. */
async function deadLetterMessage(db: Db, message: ClaimedMessage, reason: PlanIssue): Promise<void> {
  await withTenantScope(operator(message.orgId), async (tx) => {
    await writeDeadLetter(tx, { orgId: message.orgId, channelId: message.channelId, messageId: message.id, documentIndex: null, reason, valueMinor: null, currency: null, tier: null });
    await tx.update(intakeMessages).set({ status: "dead_letter", lastError: storableReason(reason), nextAttemptAt: null, updatedAt: sql`now()` })
      .where(and(eq(intakeMessages.orgId, message.orgId), eq(intakeMessages.id, message.id)));
  }, db);
}

/**
 * A transient failure: back to `received` with the next attempt's time (exponential backoff with
 * jitter), for the job runner to enqueue again; after MAX_ATTEMPTS it becomes a dead letter instead.
 */
async function scheduleRetry(db: Db, message: ClaimedMessage, error: unknown): Promise<ProcessResult> {
  const detail = (error as { code?: string }).code ?? (error as Error).message?.slice(0, 80) ?? "unknown";
  if (message.attempts >= MAX_ATTEMPTS) {
    const reason = planIssue("retries-exhausted", "", `processing failed ${message.attempts} times with a temporary error (${detail}); replay it once the cause is fixed`);
    await deadLetterMessage(db, message, reason);
    return { status: "dead_letter", channelId: message.channelId, documents: [] };
  }
  const delayMs = retryDelayMs(message.attempts);
  const reason = planIssue("transient", "", `a temporary error (${detail}); attempt ${message.attempts + 1} in ${Math.ceil(delayMs / 1000)} s`);
  await withTenantScope(operator(message.orgId), (tx) =>
    tx.update(intakeMessages).set({ status: "received", lastError: reason, nextAttemptAt: sql`now() + ${`${delayMs} milliseconds`}::interval`, updatedAt: sql`now()` })
      .where(and(eq(intakeMessages.orgId, message.orgId), eq(intakeMessages.id, message.id))), db);
  return { status: "retry", channelId: message.channelId, delayMs, reason };
}

function operator(orgId: string | null) {
  return { orgId, userId: null, bypass: true };
}
