import { createHmac, randomUUID } from "node:crypto";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as acceptRoute from "@/app/api/v1/intake/channels/[id]/messages/route";
import { runCommand } from "@/lib/core/command";
import { createChannelCommand } from "@/lib/intake/channels/create-channel";
import { stopIntakeJobSender } from "@/lib/intake/inbox/intake-job-sender";
import { processMessage } from "@/lib/intake/process/process-message";
import { asOperator } from "../support/as-operator";
import { meta, unique } from "../support/factories";
import { makeSupplier } from "../support/supplier-factories";
import { buildAccount, countOrders, makeFixtureProducts, readMessage, readOrder, type IntakeAccount } from "./intake-world";

// Content-Encoding on acceptance, through the real route handler: gzip, x-gzip, deflate and br are
// decoded before the bytes are stored (so the stored payload, its hash and the worker's input are the
// order itself), the channel's limit holds for the decoded size, an unknown coding is 415 and a corrupt
// body 400, and Shopify's HMAC is over the bytes as sent.

process.env.DATABASE_RLS_BYPASS = "0";
afterAll(() => stopIntakeJobSender());

let acme: IntakeAccount;
beforeAll(async () => {
  acme = await buildAccount("Encoded Retail");
  await makeFixtureProducts();
}, 120_000);

type Created = { id: string; token: string; secret?: string };
async function channel(format: "json" | "shopify" = "json", extra: Record<string, unknown> = {}): Promise<Created> {
  const supplier = await makeSupplier();
  return runCommand(createChannelCommand, supplier.operator, meta, { name: unique("Encoded"), format, defaultAccount: acme.org.slug, defaultBranchId: acme.hq.id, ...extra });
}

async function post(c: Created, body: Uint8Array | string, headers: Record<string, string>) {
  const request = new Request(`http://localhost/api/v1/intake/channels/${c.id}/messages`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : new Uint8Array(body) });
  const response = await acceptRoute.POST(request, { params: Promise.resolve({ id: c.id }) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { id?: string; status?: string; detail?: string }) : null };
}
const auth = (c: Created, encoding?: string) => ({ authorization: `Bearer ${c.token}`, ...(encoding ? { "content-encoding": encoding } : {}) });

async function stored(messageId: string) {
  const [row] = await asOperator((tx) => tx.execute<{ raw: Buffer; headers: Record<string, string> }>(sql`select raw, headers from intake_messages where id = ${messageId}`));
  return { raw: Buffer.from(row!.raw).toString("utf8"), headers: row!.headers };
}
async function messageCount(channelId: string) {
  const [row] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from intake_messages where channel_id = ${channelId}`));
  return row!.n;
}

const order = (number: string) => JSON.stringify({ documentNumber: number, kind: "original", currency: "USD", lines: [{ lineNumber: "1", vendorPartNumber: "AB3542", quantity: "3", unitPrice: "9.25" }] });

describe("intake acceptance: Content-Encoding", () => {
  it("a gzip order is stored decoded and becomes the same order as the plain one; a gzip re-send is not a second order", async () => {
    const c = await channel();
    const number = `GZ-${randomUUID()}`;
    const plain = order(number);
    const gz = await post(c, gzipSync(plain), auth(c, "gzip"));
    expect(gz.status).toBe(202);
    expect(await stored(gz.body!.id!)).toEqual({ raw: plain, headers: { "content-type": "application/json", "x-received-content-encoding": "gzip" } });
    const before = await countOrders(acme.org.id);
    await processMessage(gz.body!.id!);
    const processed = await readMessage(gz.body!.id!);
    expect(processed.documents.map((d) => [d.documentNumber, d.status])).toEqual([[number, "created"]]);
    expect(await readOrder(processed.documents[0]!.orderId!)).toMatchObject({ orgId: acme.org.id, totalMinor: 2775, lines: [{ sku: "AB3542", quantity: 3 }] });
    expect(await countOrders(acme.org.id)).toBe(before + 1);

    // The same order plain, or gzipped again (other compressed bytes, same payload): the same message.
    const again = await post(c, plain, auth(c));
    expect(again).toEqual({ status: 202, body: { id: gz.body!.id, status: expect.any(String) } });
    const regz = await post(c, gzipSync(plain, { level: 1 }), auth(c, "x-gzip"));
    expect(regz.body!.id).toBe(gz.body!.id);
    expect(await messageCount(c.id)).toBe(1);

    // The same order in other bytes (re-serialised, then gzipped) is a new message whose document is a duplicate.
    const reformatted = await post(c, gzipSync(JSON.stringify(JSON.parse(plain), null, 2)), auth(c, "gzip"));
    expect(reformatted.body!.id).not.toBe(gz.body!.id);
    await processMessage(reformatted.body!.id!);
    expect((await readMessage(reformatted.body!.id!)).documents.map((d) => d.status)).toEqual(["duplicate"]);
    expect(await countOrders(acme.org.id)).toBe(before + 1);
  });

  it("deflate (zlib-wrapped, or a bare deflate stream), br, a two-layer coding and identity are all stored as the payload itself", async () => {
    const c = await channel();
    const cases: Array<[string, Uint8Array | string]> = [
      ["deflate", deflateSync(order("DF-1"))],
      ["deflate", deflateRawSync(order("DF-RAW-1"))],
      ["br", brotliCompressSync(order("BR-1"))],
      ["BR", brotliCompressSync(order("BR-2"))],
      ["deflate, gzip", gzipSync(deflateSync(order("TWO-1")))],
      ["identity", order("ID-1")],
    ];
    for (const [encoding, body] of cases) {
      const answer = await post(c, body, auth(c, encoding));
      expect(answer.status, encoding).toBe(202);
      const row = await stored(answer.body!.id!);
      expect(JSON.parse(row.raw).documentNumber, encoding).toMatch(/^(DF|DF-RAW|BR|TWO|ID)-\d$/);
    }
    const br = await post(c, brotliCompressSync(order("BR-3")), auth(c, "br"));
    await processMessage(br.body!.id!);
    expect((await readMessage(br.body!.id!)).documents.map((d) => [d.documentNumber, d.status])).toEqual([["BR-3", "created"]]);
  });

  it("a gzip bomb stops at the channel's limit with 413 naming it, and nothing is stored", async () => {
    const c = await channel("json", { maxBodyBytes: 65_536 });
    // 50 MB of zeros compresses to about 50 KB: under the limit as sent, far over it decoded.
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 });
    expect(bomb.byteLength).toBeLessThan(65_536);
    const before = process.memoryUsage().arrayBuffers;
    const answer = await post(c, bomb, auth(c, "gzip"));
    expect(answer.status).toBe(413);
    expect(answer.body!.detail).toBe("The request body, decompressed, is larger than 65536 bytes.");
    // Decompression stopped near the limit: nothing like the 50 MB was held at once.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(20 * 1024 * 1024);
    // Brotli, and a bomb inside a second layer, stop the same way.
    expect((await post(c, brotliCompressSync(Buffer.alloc(50 * 1024 * 1024)), auth(c, "br"))).status).toBe(413);
    expect((await post(c, gzipSync(gzipSync(Buffer.alloc(50 * 1024 * 1024))), auth(c, "gzip, gzip"))).status).toBe(413);
    // Just under the limit decoded is fine.
    const fits = await post(c, gzipSync(`${order("FITS-1")}${" ".repeat(65_536 - order("FITS-1").length)}`), auth(c, "gzip"));
    expect(fits.status).toBe(202);
    expect(await messageCount(c.id)).toBe(1);
  });

  it("an unknown coding is 415, a corrupt body 400 naming the coding; neither stores anything, and the credential is checked first", async () => {
    const c = await channel();
    const unknown = await post(c, "whatever", auth(c, "compress"));
    expect(unknown.status).toBe(415);
    expect(unknown.body!.detail).toBe('Content-Encoding "compress" is not supported: send the body as gzip, deflate, br or identity.');
    expect((await post(c, gzipSync(order("X")), auth(c, "gzip, zstd"))).status).toBe(415);
    expect((await post(c, gzipSync(gzipSync(gzipSync(order("X")))), auth(c, "gzip, gzip, gzip"))).status).toBe(415);

    const corrupt = await post(c, order("NOT-GZIP"), auth(c, "gzip"));
    expect(corrupt.status).toBe(400);
    expect(corrupt.body!.detail).toMatch(/^The body is not valid gzip: /);
    const truncated = gzipSync(order("TRUNCATED"));
    expect((await post(c, truncated.subarray(0, truncated.length - 10), auth(c, "gzip"))).status).toBe(400);
    expect((await post(c, "\u0001\u0002 not brotli", auth(c, "br"))).body!.detail).toMatch(/^The body is not valid brotli \(br\): /);
    expect(await messageCount(c.id)).toBe(0);

    // Without the channel's credential the coding is never looked at.
    expect((await post(c, "whatever", { authorization: "Bearer wrong", "content-encoding": "compress" })).status).toBe(401);
  });

  it("Shopify: the HMAC is over the body as sent (compressed), not over the decoded payload", async () => {
    const c = await channel("shopify");
    const body = `{"id":${Date.now()},"email":"a@example.test","total_price":"10.00"}`;
    const compressed = gzipSync(body);
    const sign = (bytes: Uint8Array | string) => createHmac("sha256", c.secret!).update(bytes).digest("base64");
    const ok = await post(c, compressed, { "content-encoding": "gzip", "x-shopify-hmac-sha256": sign(compressed) });
    expect(ok.status).toBe(202);
    expect((await stored(ok.body!.id!)).raw).toBe(body);
    expect((await post(c, gzipSync(`${body} `), { "content-encoding": "gzip", "x-shopify-hmac-sha256": sign(`${body} `) })).status).toBe(401);
  });
});
