import type { Db, Tx } from "@/db/client";
import { applyTenantScope } from "@/db/tenant-scope";
import { lockKey } from "@/lib/core/advisory-lock";
import { runCommand } from "@/lib/core/command";
import type { RequestMeta } from "@/lib/core/context";
import type { IntakeFormat } from "../parse-payload";
import type { ParsedDocument } from "../parse-result";
import { channelPrincipal } from "./channel-principal";
import { isTransient, reasonFromError } from "./classify-error";
import { loadAccount, loadCatalog, loadPreviousDocuments, loadXrefs, type ChannelSetup, type LoadedAccount } from "./load-document-context";
import { matchAccount, senderKeyOf } from "./match-account";
import { planDocument, type DocumentPlan, type DocumentStatus } from "./plan-document";
import type { PlanIssue } from "./plan-issue";
import { receiveOrderCommand } from "./receive-order";
import { candidateSkus } from "./resolve-lines";
import { reviseOrderCommand } from "./revise-order";
import { writeDeadLetter, writeDocumentOutcome } from "./write-outcome";

// One document in one transaction: plan it, run the order command as the channel (a savepoint inside
// this transaction, so the order, its audit event, the document row and any dead letter commit together
// or not at all), then record the outcome. A crash anywhere before COMMIT leaves nothing behind, and the
// retry finds no document row and starts again; after COMMIT the retry finds the row and skips it.

export type DocumentRun = {
  setup: ChannelSetup;
  messageId: string;
  format: IntakeFormat;
  document: ParsedDocument;
  documentCount: number;
  now: Date;
  meta: RequestMeta;
  /** Test hook for fault injection: runs after the order command, before the outcome is written. */
  afterOrder?: (index: number) => void | Promise<void>;
};

export type DocumentResult = { index: number; status: DocumentStatus; orderId: string | null; reason: PlanIssue | null };

export async function processDocument(db: Db, run: DocumentRun): Promise<DocumentResult> {
  const { channel } = run.setup;
  return db.transaction(async (tx) => {
    await enterOperatorScope(tx, channel.orgId);
    const order = run.document.order;
    const match = order ? matchAccount(order, run.setup.mappings, { accountId: channel.defaultAccountId, branchId: channel.defaultBranchId }) : null;
    const mapping = match?.senderId ? run.setup.mappings.find((m) => m.senderId === match.senderId) : undefined;
    const sender = order ? senderKeyOf(order) : "";
    // Documents with the same key take turns, so a duplicate or an update always sees the one before it
    // (the lock is taken before the earlier documents are read; the account's rows need no lock).
    const [loaded] = await Promise.all([
      match ? loadAccount(tx, channel.orgId, match.accountId) : null,
      order ? lockKey(tx, "intake-document", `${channel.id}:${sender}:${order.documentNumber}`) : null,
    ]);
    const [previous, xrefs] = order && loaded
      ? await Promise.all([loadPreviousDocuments(tx, channel.orgId, channel.id, sender, order.documentNumber), loadXrefs(tx, channel.orgId, channel.id, loaded.context.accountId)])
      : [[], new Map<string, string>()];
    const catalog = order ? await loadCatalog(tx, channel.orgId, order.lines.flatMap((l) => candidateSkus(l, xrefs))) : new Map();
    const plan = planDocument({
      format: run.format, document: run.document, documentCount: run.documentCount,
      channel: { rules: [channel.rules, mapping?.rules], defaultBranchId: channel.defaultBranchId },
      match: loaded ? match : null, account: loaded?.context ?? null, previous, xrefs, catalog, now: run.now,
    });

    const executed = await execute(tx, run, plan, loaded);
    await enterOperatorScope(tx, channel.orgId);
    await run.afterOrder?.(run.document.index);
    const tookEffect = executed.status === "created" || executed.status === "updated" || executed.status === "held";
    await writeDocumentOutcome(tx, {
      orgId: channel.orgId, channelId: channel.id, messageId: run.messageId, index: plan.index, documentNumber: plan.documentNumber,
      sender: plan.sender, contentHash: tookEffect ? plan.contentHash : null, status: executed.status, orderId: executed.orderId,
      accountId: loaded ? plan.accountId : null, flags: plan.flags, reason: executed.reason, valueMinor: executed.valueMinor ?? plan.valueMinor, currency: plan.currency,
    });
    if (executed.status === "rejected" || executed.status === "dead_letter") {
      await writeDeadLetter(tx, { orgId: channel.orgId, channelId: channel.id, messageId: run.messageId, documentIndex: plan.index, reason: executed.reason!, valueMinor: plan.valueMinor, currency: plan.currency, tier: loaded?.context.tier ?? null });
    }
    return { index: plan.index, status: executed.status, orderId: executed.orderId, reason: executed.reason };
  });
}

type Executed = { status: DocumentStatus; orderId: string | null; reason: PlanIssue | null; valueMinor?: number };

async function execute(tx: Tx, run: DocumentRun, plan: DocumentPlan, loaded: LoadedAccount | null): Promise<Executed> {
  const outcome = plan.outcome;
  switch (outcome.action) {
    case "duplicate": return { status: "duplicate", orderId: outcome.orderId, reason: null };
    case "held": return { status: "held", orderId: outcome.orderId, reason: outcome.reason };
    case "rejected": return { status: "rejected", orderId: null, reason: outcome.reason };
    case "create":
    case "update": {
      const principal = channelPrincipal(run.setup.channel, loaded!.org, grantPaths(run.setup, loaded!));
      const source = { channelId: run.setup.channel.id, messageId: run.messageId, index: plan.index, documentNumber: (plan.documentNumber ?? "").slice(0, 128) };
      const common = {
        currency: outcome.order.currency, shipToAddressId: outcome.order.shipToAddressId, requestedDeliveryDate: outcome.order.requestedDeliveryDate,
        note: outcome.order.note, lines: outcome.order.lines, submit: outcome.hold === null, source,
      };
      try {
        // The command's own transaction is a savepoint of this one (drizzle nests), so it commits with the document row.
        const result = outcome.action === "create"
          ? await runCommand(receiveOrderCommand, principal, run.meta, { ...common, branchId: outcome.order.branchId, preferredNumber: outcome.order.preferredNumber.slice(0, 128) }, tx as unknown as Db)
          : await runCommand(reviseOrderCommand, principal, run.meta, { ...common, orderId: outcome.orderId }, tx as unknown as Db);
        const status: DocumentStatus = outcome.hold ? "held" : outcome.action === "create" ? "created" : "updated";
        return { status, orderId: result.orderId, reason: outcome.hold, valueMinor: result.totalMinor };
      } catch (error) {
        if (isTransient(error)) throw error;
        const reason = reasonFromError(error);
        if (reason.code === "unexpected") console.error(`intake: document ${plan.index} of message ${run.messageId} failed`, error);
        // A conflict (the order moved on since it was planned) is for a person, like any update conflict.
        if (reason.code === "update-conflict") return { status: "held", orderId: outcome.action === "update" ? outcome.orderId : null, reason };
        return { status: "dead_letter", orderId: null, reason };
      }
    }
  }
}

/** The branches the channel may order for in this account: its mappings' (the root when one names none). */
function grantPaths(setup: ChannelSetup, loaded: LoadedAccount): string[] {
  const accountId = loaded.context.accountId;
  const branchIds = setup.mappings.filter((m) => m.accountId === accountId).map((m) => m.branchId);
  if (setup.channel.defaultAccountId === accountId) branchIds.push(setup.channel.defaultBranchId);
  if (branchIds.some((b) => b === null)) return [""];
  return branchIds.map((b) => loaded.branchPaths.get(b!)).filter((p): p is string => p !== undefined);
}

/** The worker is an operator process: it reads the supplier's intake rows and the account's branches. */
export async function enterOperatorScope(tx: Tx, supplierId: string): Promise<void> {
  await applyTenantScope(tx, { orgId: supplierId, userId: null, bypass: true });
}
