import { beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import * as listRoute from "@/app/api/v1/intake/dead-letters/route";
import * as replayRoute from "@/app/api/v1/intake/dead-letters/[id]/replay/route";
import * as discardRoute from "@/app/api/v1/intake/dead-letters/[id]/discard/route";
import { auditEvents, intakeChannels, intakeDeadLetters } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { processMessage } from "@/lib/intake/process/process-message";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta } from "../support/factories";
import { makeSupplier, makeSupplierStaff } from "../support/supplier-factories";
import { addXref, buildAccount, makeChannel, makeFixtureProducts, mapSender, readMessage, storeMessage, type IntakeAccount } from "./intake-world";

// The dead-letter queue: ranked by impact, inspected, corrected, replayed or discarded, every step
// audited, and only for the supplier's members with intake:manage.

let acme: IntakeAccount;
let small: IntakeAccount;
let tokens: { ops: string; viewer: string; outsider: string; customerAdmin: string };
let opsUserId: string;

beforeAll(async () => {
  acme = await buildAccount("Acme Retail", "Gold");
  small = await buildAccount("Corner Shop", "Standard");
  await makeFixtureProducts();
  const supplier = await makeSupplier();
  const ops = await makeSupplierStaff("Operations");
  opsUserId = ops.userId;
  const viewer = await makeSupplierStaff("Viewer");
  const outsider = await makeOrg("Outsider");
  const outsiderAdmin = await makeMember(outsider.operator, { roleName: "Admin" });
  const token = async (operator: typeof supplier.operator, email: string) => (await runCommand(createApiTokenCommand, operator, meta, { email })).token;
  tokens = { ops: await token(supplier.operator, ops.email), viewer: await token(supplier.operator, viewer.email), outsider: await token(outsider.operator, outsiderAdmin.email), customerAdmin: await token(acme.org.operator, acme.buyer.email) };
}, 120_000);

type Handler = (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(handler: unknown, token: string, method: string, path: string, params: Record<string, string> = {}, body?: unknown) {
  const request = new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const res = await (handler as Handler)(request, { params: Promise.resolve(params) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const order = (number: string, sender: string, sku: string, quantity: string, price = "9.25") => JSON.stringify({
  documentNumber: number, kind: "original", senders: [{ scheme: "buyer", value: sender }], currency: "USD",
  lines: [{ lineNumber: "1", vendorPartNumber: sku, quantity, unitPrice: price }],
});

async function letterOf(messageId: string) {
  const message = await readMessage(messageId);
  return message.deadLetters[message.deadLetters.length - 1]!;
}

describe("the dead-letter queue", () => {
  it("ranks by value × tier × age, pages by keyset, and sorts by age on request", async () => {
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "acme", acme.org.id, acme.hq.id);
    await mapSender(channel, "shop", small.org.id, small.hq.id);
    // Same unknown SKU everywhere: Gold 100 × 9.25 = 925 → 1850; Standard 100 × 9.25 → 925; Gold 1 × 9.25 → 18.5.
    const big = await storeMessage(channel, order("R-1", "acme", "NOPE", "100"));
    const mid = await storeMessage(channel, order("R-2", "shop", "NOPE", "100"));
    const tiny = await storeMessage(channel, order("R-3", "acme", "NOPE", "1"));
    for (const id of [tiny, mid, big]) await processMessage(id);
    expect((await letterOf(big)).impact).toBe("1850.0000");
    // Age counts: make the small one 200 days old, so it overtakes the Standard account's (18.5 × 201 > 925 × ~1).
    await asOperator((tx) => tx.update(intakeDeadLetters).set({ createdAt: new Date(Date.now() - 200 * 86_400_000) }).where(eq(intakeDeadLetters.messageId, tiny)));
    const ours = new Set([big, mid, tiny]);
    const pick = (items: Array<{ messageId: string }>) => items.filter((i) => ours.has(i.messageId)).map((i) => i.messageId);
    const all = await call(listRoute.GET, tokens.ops, "GET", "/api/v1/intake/dead-letters?sort=impact&limit=200");
    expect(all.status).toBe(200);
    expect(pick(all.body.items)).toEqual([tiny, big, mid]);
    expect(all.body.items.find((i: { messageId: string }) => i.messageId === big)).toMatchObject({ documentNumber: "R-1", reason: { code: "unknown-sku", location: "/lines/0/vendorPartNumber" }, state: "open", valueMinor: 92_500, currency: "USD", channel: { id: channel.id, format: "json" } });
    // Keyset pages of one, following the cursor: the same order, no repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(listRoute.GET, tokens.ops, "GET", `/api/v1/intake/dead-letters?sort=impact&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
    const byAge = await call(listRoute.GET, tokens.ops, "GET", "/api/v1/intake/dead-letters?sort=age&limit=200");
    expect(pick(byAge.body.items)[0]).toBe(tiny);
    // Forged, foreign and unknown parameters are 422s naming the field, never 500s.
    expect((await call(listRoute.GET, tokens.ops, "GET", "/api/v1/intake/dead-letters?cursor=bm9wZQ")).status).toBe(422);
    expect((await call(listRoute.GET, tokens.ops, "GET", `/api/v1/intake/dead-letters?sort=age&cursor=${all.body.nextCursor ?? seen[0]}`)).status).toBe(422);
    expect((await call(listRoute.GET, tokens.ops, "GET", "/api/v1/intake/dead-letters?sort=value")).status).toBe(422);
    expect((await call(listRoute.GET, tokens.ops, "GET", "/api/v1/intake/dead-letters?constructor=1")).status).toBe(422);
  });

  it("only supplier members with intake:manage: a viewer is 403, another org and a customer's admin are refused", async () => {
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "acme", acme.org.id, acme.hq.id);
    const id = await storeMessage(channel, order("P-1", "acme", "NOPE", "1"));
    await processMessage(id);
    const letter = await letterOf(id);
    for (const token of [tokens.viewer, tokens.outsider, tokens.customerAdmin]) {
      expect([403, 404]).toContain((await call(listRoute.GET, token, "GET", "/api/v1/intake/dead-letters")).status);
      expect([403, 404]).toContain((await call(replayRoute.POST, token, "POST", `/api/v1/intake/dead-letters/${letter.id}/replay`, { id: letter.id }, {})).status);
      expect([403, 404]).toContain((await call(discardRoute.POST, token, "POST", `/api/v1/intake/dead-letters/${letter.id}/discard`, { id: letter.id }, { reason: "nope" })).status);
    }
    expect((await letterOf(id)).state).toBe("open");
    expect((await call(replayRoute.POST, tokens.ops, "POST", "/api/v1/intake/dead-letters/not-a-uuid/replay", { id: "not-a-uuid" }, {})).status).toBe(404);
  });

  it("fix the cause (a cross-reference), replay: the order is created; replaying again is a 409", async () => {
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "acme", acme.org.id, acme.hq.id);
    const id = await storeMessage(channel, order("F-1", "acme", "THEIR-PART", "2"));
    await processMessage(id);
    const letter = await letterOf(id);
    await addXref(channel, acme.org.id, "THEIR-PART", "AB3542");
    const replayed = await call(replayRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/replay`, { id: letter.id });
    expect(replayed.status).toBe(200);
    expect(replayed.body.message).toMatchObject({ id, status: "done", documents: [{ index: 0, status: "created", documentNumber: "F-1" }] });
    const after = await readMessage(id);
    expect(after.deadLetters.map((d) => d.state)).toEqual(["replayed"]);
    expect(after.deadLetters[0]!.resolvedBy).toBe(opsUserId);
    expect((await call(replayRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/replay`, { id: letter.id })).status).toBe(409);
    const [event] = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, "intake.dead_letter.replayed"), eq(auditEvents.targetId, letter.id))));
    expect(event).toMatchObject({ actorType: "api-token", outcome: "success" });
  });

  it("a malformed payload is corrected and replayed; the raw bytes stay as they arrived", async () => {
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "acme", acme.org.id, acme.hq.id);
    const broken = `${order("C-1", "acme", "AB3542", "1").slice(0, -1)}`;
    const id = await storeMessage(channel, broken);
    await processMessage(id);
    const letter = await letterOf(id);
    expect(letter).toMatchObject({ documentIndex: null, reason: { code: "syntax" } });
    const replayed = await call(replayRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/replay`, { id: letter.id }, { payload: order("C-1", "acme", "AB3542", "1") });
    expect(replayed.status).toBe(200);
    expect(replayed.body.message).toMatchObject({ status: "done", documents: [{ status: "created" }] });
    const [event] = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, "intake.dead_letter.corrected"), eq(auditEvents.targetId, letter.id))));
    expect(JSON.stringify(event!.metadata)).not.toContain("AB3542");
    // A replay that fails again leaves a new open letter beside the replayed one.
    const again = await storeMessage(channel, `${broken} `);
    await processMessage(again);
    const second = await letterOf(again);
    const failed = await call(replayRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${second.id}/replay`, { id: second.id }, { payload: "{ still broken" });
    expect(failed.body.message.status).toBe("dead_letter");
    expect((await readMessage(again)).deadLetters.map((d) => d.state)).toEqual(["replayed", "open"]);
  });

  it("discard needs a reason, is audited with it, and cannot be undone by a replay", async () => {
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "acme", acme.org.id, acme.hq.id);
    const id = await storeMessage(channel, order("D-1", "acme", "NOPE", "1"));
    await processMessage(id);
    const letter = await letterOf(id);
    expect((await call(discardRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/discard`, { id: letter.id }, {})).status).toBe(422);
    expect((await call(discardRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/discard`, { id: letter.id }, { reason: "bad\u0000" })).status).toBe(422);
    const discarded = await call(discardRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/discard`, { id: letter.id }, { reason: "Test order from the buyer's sandbox" });
    expect(discarded).toMatchObject({ status: 200, body: { id: letter.id, state: "discarded" } });
    expect(await letterOf(id)).toMatchObject({ state: "discarded", discardReason: "Test order from the buyer's sandbox" });
    expect((await call(replayRoute.POST, tokens.ops, "POST", `/api/v1/intake/dead-letters/${letter.id}/replay`, { id: letter.id })).status).toBe(409);
    const [event] = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, "intake.dead_letter.discarded"), eq(auditEvents.targetId, letter.id))));
    expect(event!.metadata).toMatchObject({ reason: "Test order from the buyer's sandbox", failure: "unknown-sku" });
  });
});

describe("the Intake page's channel figures", () => {
  it("per channel: last success, the day's documents and error rate, open dead letters, and a quiet channel flagged", async () => {
    const { listChannelHealth } = await import("@/lib/intake/process/list-channel-health");
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "acme", acme.org.id, acme.hq.id);
    await processMessage(await storeMessage(channel, order("H-1", "acme", "AB3542", "1")));
    await processMessage(await storeMessage(channel, order("H-2", "acme", "NOPE", "1")));
    const quiet = await makeChannel({ format: "x12-850" });
    await asOperator((tx) => tx.update(intakeChannels).set({ expectedIntervalSeconds: 60 }).where(eq(intakeChannels.id, quiet.id)));
    const rows = await asOperator((tx) => listChannelHealth(tx, channel.orgId));
    expect(rows.find((r) => r.id === channel.id)).toMatchObject({ documentsDay: 2, failedDay: 1, errorRate: 0.5, openMessages: 0, lagSeconds: null, openDeadLetters: 1, silent: false, lastSuccessAt: expect.any(String) });
    expect(rows.find((r) => r.id === quiet.id)).toMatchObject({ silent: true, lastReceivedAt: null, errorRate: null });
  });
});
