import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { orders } from "@/db/schema";
import { asOperator } from "../support/as-operator";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, HiddenTargetError, NotFoundError } from "@/lib/core/errors";
import { channelPrincipal } from "@/lib/intake/process/channel-principal";
import { TransientIntakeError } from "@/lib/intake/process/classify-error";
import { processMessage } from "@/lib/intake/process/process-message";
import { receiveOrderCommand } from "@/lib/intake/process/receive-order";
import { meta } from "../support/factories";
import { roleIdOf } from "./ordering-world";
import { addXref, buildAccount, countOrders, makeChannel, makeFixtureProducts, mapSender, readMessage, readOrder, storeMessage, type IntakeAccount } from "./intake-world";

// The json channel (the canonical order) drives the cases the fixtures cannot: several documents in
// one message, updates, conflicts, faults in the middle of a batch, and a channel held to its accounts.

let acme: IntakeAccount;
let globex: IntakeAccount;

beforeAll(async () => {
  acme = await buildAccount("Acme Retail");
  globex = await buildAccount("Globex", "Standard");
  await makeFixtureProducts();
  // Every Acme order at the Store branch waits for an Approver, so it stays "submitted" (updatable).
  await runCommand(createApprovalRuleCommand, acme.org.operator, meta, { name: "Store orders", branchId: acme.store.id, tiers: [[[await roleIdOf(acme.org.id, "Approver")]]] });
}, 120_000);

const order = (number: string, lines: Array<[string, string]>, extra: Record<string, unknown> = {}) => ({
  documentNumber: number, kind: "original", senders: [{ scheme: "buyer", value: "acme-edi" }], currency: "USD",
  lines: lines.map(([sku, quantity], i) => ({ lineNumber: String(i + 1), vendorPartNumber: sku, quantity })), ...extra,
});

async function jsonChannel(branchId = acme.store.id) {
  const channel = await makeChannel({ format: "json" });
  await mapSender(channel, "acme-edi", acme.org.id, branchId);
  return channel;
}

describe("several documents, updates and duplicates", () => {
  it("each document of one message has its own outcome: created, rejected with a JSON pointer, created", async () => {
    const channel = await jsonChannel();
    const body = JSON.stringify([order("M-1", [["AB3542", "2"]]), order("M-2", [["NOPE-1", "1"]]), order("M-3", [["RD5322", "1.5"]])]);
    await processMessage(await storeMessage(channel, body));
    const message = await readMessage(await storeMessage(channel, body));
    expect(message.status).toBe("done");
    expect(message.documents.map((d) => d.status)).toEqual(["created", "rejected", "rejected"]);
    expect(message.documents[1]!.reason).toMatchObject({ code: "unknown-sku", location: "/1/lines/0/vendorPartNumber" });
    expect(message.documents[2]!.reason).toEqual({ code: "invalid-number", location: "/2/lines/0/quantity", message: '/2/lines/0/quantity: line 1: quantity "1.5" is not a whole number from 1 to 1,000,000; orders take whole units' });
    // Two dead letters, one per refused document, ranked: never one for the created order.
    expect(message.deadLetters.map((d) => d.documentIndex).sort()).toEqual([1, 2]);
    const created = await readOrder(message.documents[0]!.orderId!);
    expect(created).toMatchObject({ number: "M-1", status: "submitted", branchId: acme.store.id, totalMinor: 1850 });
  });

  it("the same order sent twice creates one order; changed content updates it while it waits; after approval it is a conflict", async () => {
    const channel = await jsonChannel();
    const first = await processMessage(await storeMessage(channel, JSON.stringify(order("U-1", [["AB3542", "1"]]))));
    const orderId = first.status === "done" ? first.documents[0]!.orderId! : "";
    expect(await readOrder(orderId)).toMatchObject({ status: "submitted", totalMinor: 925 });
    // Other whitespace and key order, same order: a duplicate, not an update.
    const resent = await processMessage(await storeMessage(channel, `{ "lines": [{"quantity": "1", "vendorPartNumber": "AB3542", "lineNumber": "1"}],\n "currency": "USD", "kind": "original", "documentNumber": "U-1", "senders": [{"value": "acme-edi", "scheme": "buyer"}] }`));
    expect(resent).toMatchObject({ status: "done", documents: [{ status: "duplicate", orderId }] });
    // Changed quantity, same number: the waiting order is updated (its approval starts again).
    const update = await processMessage(await storeMessage(channel, JSON.stringify(order("U-1", [["AB3542", "3"]], { kind: "update" }))));
    expect(update).toMatchObject({ status: "done", documents: [{ status: "updated", orderId }] });
    const updated = await readOrder(orderId);
    expect(updated).toMatchObject({ status: "submitted", totalMinor: 2775 });
    expect(updated.lines).toEqual([{ sku: "AB3542", quantity: 3, unitPriceMinor: 925, totalMinor: 2775 }]);
    // Once the order is past waiting, another change is a conflict for a person; nothing is overwritten.
    await asOperator((tx) => tx.update(orders).set({ status: "approved" }).where(eq(orders.id, orderId)));
    const late = await processMessage(await storeMessage(channel, JSON.stringify(order("U-1", [["AB3542", "9"]]))));
    expect(late).toMatchObject({ status: "done", documents: [{ status: "held", orderId, reason: { code: "update-conflict" } }] });
    expect(await readOrder(orderId)).toMatchObject({ status: "approved", totalMinor: 2775 });
  });

  it("the cross-reference turns a buyer part into our SKU; an unknown SKU accepted as free text keeps the sender's price", async () => {
    const channel = await makeChannel({ format: "json", rules: { unknownSku: "accept" } });
    await mapSender(channel, "acme-edi", acme.org.id, acme.hq.id);
    await addXref(channel, acme.org.id, "BUYER-77", "VX2332");
    const body = order("X-1", [], { lines: [{ lineNumber: "1", buyerPartNumber: "BUYER-77", quantity: "2" }, { lineNumber: "2", vendorPartNumber: "HANDMADE", description: "Custom crate", quantity: "1", unitPrice: "42.50" }] });
    const result = await processMessage(await storeMessage(channel, JSON.stringify(body)));
    expect(result).toMatchObject({ status: "done", documents: [{ status: "created" }] });
    const created = await readOrder(result.status === "done" ? result.documents[0]!.orderId! : "");
    expect(created.lines).toEqual([{ sku: "VX2332", quantity: 2, unitPriceMinor: 435, totalMinor: 870 }, { sku: "HANDMADE", quantity: 1, unitPriceMinor: 4250, totalMinor: 4250 }]);
  });

  it("malformed payloads land in the dead-letter queue with the parser's reason, and nothing crashes", async () => {
    const channel = await jsonChannel();
    for (const [body, code, location] of [
      ["{ not json", "syntax", undefined],
      [JSON.stringify({ ...order("B-1", [["AB3542", "1"]]), __proto__x: 1 }), "schema", "/"],
      ["\u0000\u0000", undefined, undefined],
    ] as const) {
      const id = await storeMessage(channel, body);
      await processMessage(id);
      const message = await readMessage(id);
      const letter = message.deadLetters[0] ?? null;
      const reason = (message.documents[0]?.reason ?? letter?.reason) as { code: string; location: string } | null;
      expect(reason, body).not.toBeNull();
      if (code) expect(reason!.code).toBe(code);
      if (location) expect(reason!.location).toBe(location);
      expect(reason!.code).not.toBe("unexpected");
      expect(message.deadLetters.length).toBe(1);
    }
  });
});

describe("faults in the middle of a batch", () => {
  it("a worker that dies after an order's insert, before commit, loses nothing and creates nothing twice", async () => {
    const channel = await jsonChannel(acme.hq.id);
    const body = JSON.stringify([order("F-1", [["AB3542", "1"]]), order("F-2", [["RD5322", "1"]]), order("F-3", [["XY5266", "1"]])]);
    const id = await storeMessage(channel, body);
    const before = await countOrders(acme.org.id);
    // Dies inside document 1's transaction, after its order command ran.
    await expect(processMessage(id, { afterOrder: (index) => { if (index === 1) throw new Error("killed"); } })).rejects.toThrow("killed");
    const mid = await readMessage(id);
    expect(mid.status).toBe("processing");
    expect(mid.documents.map((d) => d.index)).toEqual([0]);
    expect(await countOrders(acme.org.id)).toBe(before + 1);
    // The retry (or the stalled-message sweep's job) finishes the batch; document 0 is not redone.
    const retried = await processMessage(id);
    expect(retried).toMatchObject({ status: "done" });
    const done = await readMessage(id);
    expect(done.documents.map((d) => d.status)).toEqual(["created", "created", "created"]);
    expect(new Set(done.documents.map((d) => d.orderId)).size).toBe(3);
    expect(await countOrders(acme.org.id)).toBe(before + 3);
    // And yet another run (a duplicate job) changes nothing.
    await processMessage(id);
    expect(await countOrders(acme.org.id)).toBe(before + 3);
  });

  it("two workers on the same message at once create each order once", async () => {
    const channel = await jsonChannel(acme.hq.id);
    const body = JSON.stringify(Array.from({ length: 6 }, (_, i) => order(`C-${i}`, [["AB3542", "1"]])));
    const id = await storeMessage(channel, body);
    const before = await countOrders(acme.org.id);
    const results = await Promise.all([processMessage(id), processMessage(id)]);
    // A loser of a race may be told to retry; its retry then finds every document done.
    for (const r of results) if (r.status === "retry") await processMessage(id);
    if ((await readMessage(id)).status !== "done") await processMessage(id);
    expect(await countOrders(acme.org.id)).toBe(before + 6);
    expect((await readMessage(id)).documents).toHaveLength(6);
  });

  it("a transient error goes back to the inbox with a backoff; after the last attempt, a dead letter", async () => {
    const channel = await jsonChannel(acme.hq.id);
    const id = await storeMessage(channel, JSON.stringify(order("T-1", [["AB3542", "1"]])));
    const retry = await processMessage(id, { afterOrder: () => { throw new TransientIntakeError("serialization failure"); } });
    expect(retry).toMatchObject({ status: "retry", reason: { code: "transient" } });
    if (retry.status === "retry") expect(retry.delayMs).toBeGreaterThanOrEqual(500);
    expect(await readMessage(id)).toMatchObject({ status: "received", attempts: 1, documents: [] });
    for (let attempt = 2; attempt <= 8; attempt++) await processMessage(id, { afterOrder: () => { throw new TransientIntakeError("serialization failure"); } });
    const dead = await readMessage(id);
    expect(dead.status).toBe("dead_letter");
    expect(dead.deadLetters[0]).toMatchObject({ documentIndex: null, reason: { code: "retries-exhausted" } });
    expect(dead.documents).toEqual([]);
  });
});

describe("a channel can never create an order outside its mapped accounts", () => {
  it("a payload naming another account's sender ids is refused: the channel maps only Acme", async () => {
    const channel = await jsonChannel();
    const before = await countOrders(globex.org.id);
    const body = order("G-1", [["AB3542", "1"]], { senders: [{ scheme: "buyer", value: "globex-edi" }], buyer: { identifiers: [{ scheme: "gln", value: globex.org.id }] } });
    const result = await processMessage(await storeMessage(channel, JSON.stringify(body)));
    expect(result).toMatchObject({ status: "done", documents: [{ status: "rejected", reason: { code: "no-account" } }] });
    expect(await countOrders(globex.org.id)).toBe(before);
  });

  it("the channel's principal cannot create in another account, nor at a branch its mappings do not name", async () => {
    const channel = await jsonChannel();
    const principal = channelPrincipal(channel, { id: acme.org.id, slug: acme.org.slug, name: acme.org.name }, ["/never/"]);
    const input = { currency: "USD", shipToAddressId: null, requestedDeliveryDate: null, note: "", lines: [{ kind: "catalog" as const, sku: "AB3542", quantity: 1 }], submit: true, preferredNumber: "X", source: { channelId: channel.id, messageId: channel.id, index: 0, documentNumber: "X" } };
    // Another account's branch: not found (the command acts in Acme's org; row-level security holds it there).
    await expect(runCommand(receiveOrderCommand, principal, meta, { ...input, branchId: globex.hq.id })).rejects.toBeInstanceOf(NotFoundError);
    // Acme's own branch, but not one the channel is granted: refused.
    await expect(runCommand(receiveOrderCommand, principal, meta, { ...input, branchId: acme.hq.id })).rejects.toSatisfy((e) => e instanceof HiddenTargetError || e instanceof ForbiddenError);
    // A person cannot use the channel's command at all.
    await expect(runCommand(receiveOrderCommand, acme.buyer.principal, meta, { ...input, branchId: acme.hq.id })).rejects.toThrow(/only an intake channel/);
  });
});

describe("health", () => {
  it("/api/health reports the queue's depth, its lag (oldest unprocessed message) and the open dead letters", async () => {
    const { checkHealth } = await import("@/lib/http/check-health");
    const channel = await jsonChannel(acme.hq.id);
    const before = (await checkHealth()).intake!;
    const id = await storeMessage(channel, JSON.stringify(order("H-1", [["NOPE-H", "1"]])));
    await new Promise((r) => setTimeout(r, 1100));
    const waiting = (await checkHealth()).intake!;
    expect(waiting.queueDepth).toBe(before.queueDepth + 1);
    expect(waiting.lagSeconds).toBeGreaterThanOrEqual(1);
    await processMessage(id);
    const after = (await checkHealth()).intake!;
    expect(after).toMatchObject({ queueDepth: before.queueDepth, deadLetters: before.deadLetters + 1 });
  });
});

describe("a message that keeps crashing", () => {
  it("is retried, but after the last attempt it becomes a dead letter instead of looping forever", async () => {
    const channel = await jsonChannel(acme.hq.id);
    const id = await storeMessage(channel, JSON.stringify(order("K-1", [["AB3542", "1"]])));
    const crash = { afterOrder: () => { throw new Error("bug"); } };
    for (let attempt = 1; attempt < 8; attempt++) await expect(processMessage(id, crash)).rejects.toThrow("bug");
    expect(await processMessage(id, crash)).toMatchObject({ status: "dead_letter" });
    const dead = await readMessage(id);
    expect(dead).toMatchObject({ status: "dead_letter", documents: [] });
    expect(dead.deadLetters[0]).toMatchObject({ documentIndex: null, reason: { code: "retries-exhausted" } });
  });
});

describe("a worker process killed mid-batch", () => {
  it("SIGKILL inside the second document's transaction: the first order stands, the second never half-exists, the retry finishes once", async () => {
    const { spawn } = await import("node:child_process");
    const channel = await jsonChannel(acme.hq.id);
    const id = await storeMessage(channel, JSON.stringify([order("KILL-1", [["AB3542", "1"]]), order("KILL-2", [["RD5322", "1"]]), order("KILL-3", [["XY5266", "1"]])]));
    const before = await countOrders(acme.org.id);
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "tests/support/kill-mid-batch.ts", id, "1"], { cwd: process.cwd(), env: { ...process.env }, stdio: ["ignore", "ignore", "pipe"] });
      child.once("error", reject);
      child.once("close", (_code, sig) => resolve(sig));
    });
    expect(signal).toBe("SIGKILL");
    const mid = await readMessage(id);
    expect(mid.status).toBe("processing");
    expect(mid.documents.map((d) => d.documentNumber)).toEqual(["KILL-1"]);
    expect(await countOrders(acme.org.id)).toBe(before + 1);
    // The survivor's retry (pg-boss's expiry, or the stalled-message sweep) finishes it, once.
    expect(await processMessage(id)).toMatchObject({ status: "done" });
    expect((await readMessage(id)).documents.map((d) => d.status)).toEqual(["created", "created", "created"]);
    expect(await countOrders(acme.org.id)).toBe(before + 3);
  }, 120_000);
});
