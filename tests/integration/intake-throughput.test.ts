import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { readAs } from "@/lib/core/read-as";
import { processMessage } from "@/lib/intake/process/process-message";
import { fillThroughputHours, listChannelThroughput, throughputWindow } from "@/lib/intake/process/list-channel-throughput";
import { asOperator } from "../support/as-operator";
import { makeOrg } from "../support/factories";
import { makeSupplier, makeSupplierStaff } from "../support/supplier-factories";
import { buildAccount, makeChannel, makeFixtureProducts, mapSender, readMessage, storeMessage } from "./intake-world";

// The Intake page's throughput chart: hourly buckets of a channel's documents by outcome, over a
// bounded window, only the supplier's own, read off the (channel, created_at) index.

process.env.DATABASE_RLS_BYPASS = "0";

const HOUR = 3_600_000;
const now = new Date("2026-06-01T12:30:00Z");
const span = throughputWindow(now);

/** Documents of the given statuses on a channel, at chosen times (test data, as intake-schema.test.ts writes it: the worker writes these rows). */
async function addDocuments(orgId: string, channelId: string, docs: Array<{ status: string; at: Date }>) {
  await asOperator(async (tx) => {
    const raw = randomBytes(16);
    const [message] = await tx.execute<{ id: string }>(
      sql`insert into intake_messages (org_id, channel_id, raw, raw_sha256) values (${orgId}, ${channelId}, ${raw}, ${createHash("sha256").update(raw).digest("hex")}) returning id`,
    );
    for (const [i, d] of docs.entries()) {
      await tx.execute(sql`insert into intake_documents (org_id, channel_id, message_id, index, status, created_at) values (${orgId}, ${channelId}, ${message!.id}, ${i}, ${d.status}::intake_document_status, ${d.at.toISOString()}::timestamptz)`);
    }
  });
}
const ago = (hours: number, minutes = 0) => new Date(now.getTime() - hours * HOUR - minutes * 60_000);

describe("listChannelThroughput", () => {
  it("counts each hour's documents by outcome, per channel, inside the window only", async () => {
    const supplier = await makeSupplier();
    const ops = await makeSupplierStaff("Operations");
    const a = await makeChannel({ format: "json" });
    const b = await makeChannel({ format: "json" });
    await addDocuments(supplier.id, a.id, [
      { status: "created", at: ago(0, 5) }, { status: "updated", at: ago(0, 10) }, { status: "duplicate", at: ago(0, 20) },
      { status: "held", at: ago(0, 25) }, { status: "rejected", at: ago(3, 0) }, { status: "dead_letter", at: ago(3, 15) },
      // Outside the window: 24 h before the first whole hour, and after `now`.
      { status: "created", at: new Date(span.from.getTime() - 1) }, { status: "created", at: new Date(now.getTime() + 60_000) },
      // The window's first instant is in.
      { status: "created", at: span.from },
    ]);
    await addDocuments(supplier.id, b.id, [{ status: "created", at: ago(1) }]);

    const result = await readAs(ops.principal, (tx) => listChannelThroughput(tx, supplier.id, span));
    expect(result.get(a.id)).toEqual([
      { hour: "2026-05-31T13:00:00.000Z", processed: 1, held: 0, failed: 0 },
      { hour: "2026-06-01T09:00:00.000Z", processed: 0, held: 0, failed: 2 },
      { hour: "2026-06-01T12:00:00.000Z", processed: 3, held: 1, failed: 0 },
    ]);
    // The other channel's document is its own, not a's.
    expect(result.get(b.id)).toEqual([{ hour: "2026-06-01T11:00:00.000Z", processed: 1, held: 0, failed: 0 }]);

    const filled = fillThroughputHours(span, result.get(a.id)!);
    expect(filled).toHaveLength(24);
    expect(filled[0]).toEqual({ hour: "2026-05-31T13:00:00.000Z", processed: 1, held: 0, failed: 0 });
    expect(filled[23]).toEqual({ hour: "2026-06-01T12:00:00.000Z", processed: 3, held: 1, failed: 0 });
    expect(filled.slice(1, 20).every((h) => h.processed + h.held + h.failed === 0)).toBe(true);
  });

  it("counts what the worker wrote: a processed order and a rejected one, in the current hour", async () => {
    const account = await buildAccount("Throughput Retail");
    await makeFixtureProducts();
    const supplier = await makeSupplier();
    const ops = await makeSupplierStaff("Operations");
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "tp", account.org.id, account.hq.id);
    const order = (number: string, sku: string) => JSON.stringify({ documentNumber: number, kind: "original", senders: [{ scheme: "buyer", value: "tp" }], currency: "USD", lines: [{ lineNumber: "1", vendorPartNumber: sku, quantity: "2", unitPrice: "9.25" }] });
    const good = await storeMessage(channel, order("TP-1", "AB3542"));
    const bad = await storeMessage(channel, order("TP-2", "NO-SUCH-SKU"));
    await processMessage(good);
    await processMessage(bad);
    expect((await readMessage(good)).documents.map((d) => d.status)).toEqual(["created"]);
    expect((await readMessage(bad)).documents.map((d) => d.status)).toEqual(["rejected"]);
    const live = throughputWindow(new Date(Date.now() + 1000));
    const buckets = (await readAs(ops.principal, (tx) => listChannelThroughput(tx, supplier.id, live))).get(channel.id)!;
    expect(buckets.reduce((t, b) => ({ processed: t.processed + b.processed, failed: t.failed + b.failed }), { processed: 0, failed: 0 })).toEqual({ processed: 1, failed: 1 });
  });

  it("an empty window has no buckets, and another org's documents are never counted", async () => {
    const supplier = await makeSupplier();
    const ops = await makeSupplierStaff("Operations");
    const quiet = await makeChannel({ format: "json" });
    await addDocuments(supplier.id, quiet.id, [{ status: "created", at: ago(48) }]);
    const other = await makeOrg("Throughput Outsider");
    const [foreign] = await asOperator((tx) => tx.execute<{ id: string }>(sql`insert into intake_channels (org_id, name, format, token_hash) values (${other.id}, 'Foreign', 'json', ${randomBytes(16).toString("hex")}) returning id`));
    await addDocuments(other.id, foreign!.id, [{ status: "created", at: ago(1) }, { status: "rejected", at: ago(2) }]);

    const mine = await readAs(ops.principal, (tx) => listChannelThroughput(tx, supplier.id, span));
    expect(mine.has(quiet.id)).toBe(false);
    expect(mine.has(foreign!.id)).toBe(false);
    expect(fillThroughputHours(span, mine.get(quiet.id) ?? []).every((h) => h.processed + h.held + h.failed === 0)).toBe(true);
    // The explicit org filter holds even where row-level security is bypassed.
    const bypassed = await asOperator((tx) => listChannelThroughput(tx, supplier.id, span));
    expect(bypassed.has(foreign!.id)).toBe(false);
    // And row-level security holds where the caller names another org's id.
    const sneaky = await readAs(ops.principal, (tx) => listChannelThroughput(tx, other.id, span));
    expect(sneaky.size).toBe(0);
  });

  it("reads a bounded range of the (channel, created_at) index", async () => {
    const supplier = await makeSupplier();
    const plan = await asOperator(async (tx) => {
      // Tiny test tables would be scanned whole; forbid that to see which index the query can use.
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const rows = await tx.execute<{ "QUERY PLAN": string }>(sql`explain select count(*) from intake_channels c join intake_documents d on d.channel_id = c.id and d.org_id = ${supplier.id}
        and d.created_at >= ${span.from.toISOString()}::timestamptz and d.created_at < ${span.to.toISOString()}::timestamptz where c.org_id = ${supplier.id}`);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("intake_documents_channel_created_idx");
    expect(plan).toMatch(/Index Only Scan using intake_documents_channel_created_idx/);
  });
});
