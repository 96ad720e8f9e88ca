import { createHmac, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import * as acceptRoute from "@/app/api/v1/intake/channels/[id]/messages/route";
import * as messageRoute from "@/app/api/v1/intake/messages/[id]/route";
import * as rawRoute from "@/app/api/v1/intake/messages/[id]/raw/route";
import { JOB_QUEUES } from "@/db/job-schema";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { createChannelCommand } from "@/lib/intake/channels/create-channel";
import { disableChannelCommand } from "@/lib/intake/channels/disable-channel";
import { updateChannelCommand } from "@/lib/intake/channels/update-channel";
import { forgetDepthCounts } from "@/lib/intake/inbox/check-backpressure";
import { stopIntakeJobSender } from "@/lib/intake/inbox/intake-job-sender";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta, unique } from "../support/factories";
import { makeSupplier, makeSupplierStaff } from "../support/supplier-factories";

// As in production: no operator bypass on the pool.
process.env.DATABASE_RLS_BYPASS = "0";
afterAll(() => stopIntakeJobSender());

type Created = { id: string; url: string; token: string; secret?: string };

async function channel(format: "json" | "x12-850" | "shopify" | "cxml" = "json", extra: Record<string, unknown> = {}): Promise<Created> {
  const supplier = await makeSupplier();
  return runCommand(createChannelCommand, supplier.operator, meta, { name: unique("Channel"), format, ...extra });
}

function post(channelId: string, body: BodyInit | null, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost/api/v1/intake/channels/${channelId}/messages`, { method: "POST", headers, body, ...(body instanceof ReadableStream ? { duplex: "half" } : {}) } as RequestInit);
  return acceptRoute.POST(request, { params: Promise.resolve({ id: channelId }) });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "content-type": "application/json" });

async function jobsFor(messageId: string): Promise<number> {
  const [row] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${JOB_QUEUES.intakeProcess} and data->>'messageId' = ${messageId}`));
  return row!.n;
}

describe("intake acceptance: POST /api/v1/intake/channels/{id}/messages", () => {
  it("stores the raw bytes and enqueues one job in the same transaction; 202 { id, status }", async () => {
    const c = await channel();
    const body = `{"documentNumber":"PO-${randomUUID()}", "lines": []}\u0000 trailing bytes are not parsed here`;
    const response = await post(c.id, body, { ...bearer(c.token), "x-shopify-topic": "ignored", cookie: "secret=1" });
    expect(response.status).toBe(202);
    const answer = (await response.json()) as { id: string; status: string };
    expect(answer).toEqual({ id: expect.any(String), status: "received" });
    const [stored] = await asOperator((tx) => tx.execute<{ raw: Buffer; headers: Record<string, string>; org_id: string }>(sql`select raw, headers, org_id from intake_messages where id = ${answer.id}`));
    expect(Buffer.from(stored!.raw).toString("utf8")).toBe(body);
    expect(stored!.headers).toEqual({ "content-type": "application/json", "x-shopify-topic": "ignored" });
    expect(stored!.org_id).toBe((await makeSupplier()).id);
    expect(await jobsFor(answer.id)).toBe(1);
  });

  it("the same bytes again answer the same id and enqueue nothing more; other bytes are another message", async () => {
    const c = await channel();
    const body = `{"documentNumber":"PO-${randomUUID()}"}`;
    const first = (await (await post(c.id, body, bearer(c.token))).json()) as { id: string };
    const again = await post(c.id, body, bearer(c.token));
    expect(again.status).toBe(202);
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(await jobsFor(first.id)).toBe(1);
    const other = (await (await post(c.id, `${body} `, bearer(c.token))).json()) as { id: string };
    expect(other.id).not.toBe(first.id);
    // The re-send's speculative job was withdrawn in its transaction: one job per message, each the message's id.
    const jobs = await asOperator((tx) => tx.execute<{ id: string; message: string }>(sql`select id::text, data->>'messageId' as message from pgboss.job where name = ${JOB_QUEUES.intakeProcess} and group_id = ${c.id} order by created_on`));
    expect(jobs.map((j) => j.message).sort()).toEqual([first.id, other.id].sort());
    expect(jobs.every((j) => j.id === j.message)).toBe(true);
  });

  it("a spike shares transactions: 60 payloads at once (3 of them the same bytes) are 58 messages, each with one job", async () => {
    const c = await channel();
    const same = `{"same":"${randomUUID()}"}`;
    const bodies = [...Array.from({ length: 57 }, (_, i) => `{"n":${i},"r":"${randomUUID()}"}`), same, same, same];
    const answers = await Promise.all(bodies.map(async (body) => (await (await post(c.id, body, bearer(c.token))).json()) as { id: string; status: string }));
    expect(answers.every((a) => a.status === "received")).toBe(true);
    expect(new Set(answers.map((a) => a.id)).size).toBe(58);
    expect(new Set(answers.slice(57).map((a) => a.id)).size).toBe(1);
    const [jobs] = await asOperator((tx) => tx.execute<{ n: number; distinct: number }>(sql`select count(*)::int as n, count(distinct data->>'messageId')::int as distinct from pgboss.job where name = ${JOB_QUEUES.intakeProcess} and data->>'messageId' in (select id::text from intake_messages where channel_id = ${c.id})`));
    expect(jobs).toEqual({ n: 58, distinct: 58 });
    const [grouped] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${JOB_QUEUES.intakeProcess} and group_id = ${c.id}`));
    expect(grouped!.n).toBe(58);
    const events = await asOperator((tx) => tx.execute<{ messages: number }>(sql`select jsonb_array_length(metadata->'messages')::int as messages from audit_events where action = 'intake.messages.accepted' and target_id = ${c.id}`));
    expect(events.reduce((sum, e) => sum + e.messages, 0)).toBe(58);
    expect(events.length).toBeLessThan(60);
  });

  it("each message in a shared transaction keeps its own sender address in the audit event", async () => {
    const c = await channel();
    const sent = Array.from({ length: 12 }, (_, i) => ({ ip: `198.51.100.${i + 1}`, body: `{"n":${i},"r":"${randomUUID()}"}` }));
    const answers = await Promise.all(sent.map(async ({ ip, body }) => ({ ip, id: ((await (await post(c.id, body, { ...bearer(c.token), "x-countersign-peer-ip": ip })).json()) as { id: string }).id })));
    const events = await asOperator((tx) => tx.execute<{ messages: Array<{ id: string; ip: string | null }> }>(sql`select metadata->'messages' as messages from audit_events where action = 'intake.messages.accepted' and target_id = ${c.id}`));
    const ipOf = new Map(events.flatMap((e) => e.messages.map((m) => [m.id, m.ip] as const)));
    for (const { id, ip } of answers) expect(ipOf.get(id), id).toBe(ip);
  });

  it("unknown, malformed and disabled channels are 404; a wrong or missing token is 401; nothing is stored", async () => {
    const c = await channel();
    const other = await channel();
    const [before] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from intake_messages`));
    expect((await post(randomUUID(), "{}", bearer(c.token))).status).toBe(404);
    expect((await post("not-a-uuid", "{}", bearer(c.token))).status).toBe(404);
    expect((await post(c.id, "{}", bearer(other.token))).status).toBe(401);
    expect((await post(c.id, "{}", bearer(`${c.token}x`))).status).toBe(401);
    expect((await post(c.id, "{}", { "content-type": "application/json" })).status).toBe(401);
    expect((await post(c.id, "{}", { authorization: `Basic ${c.token}` })).status).toBe(401);
    const wrong = await post(c.id, "{}", bearer(other.token));
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await wrong.json()) as { detail: string }).detail).toBe("The channel's credentials are missing or wrong.");
    const supplier = await makeSupplier();
    await runCommand(disableChannelCommand, supplier.operator, meta, { channelId: c.id });
    const disabled = await post(c.id, "{}", bearer(c.token));
    expect(disabled.status).toBe(404);
    expect(((await disabled.json()) as { detail: string }).detail).toBe("Channel not found.");
    const [after] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from intake_messages`));
    expect(after!.n).toBe(before!.n);
    // Refused credentials are on record (the API-token refusal tally: first per window audited, repeats counted).
    const [refused] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'auth.api-token.rejected'`));
    expect(refused!.n).toBeGreaterThan(0);
  });

  it("a body past the channel's limit is 413, by Content-Length or while streaming, and is not stored", async () => {
    const c = await channel("x12-850", { maxBodyBytes: 1024 });
    const huge = "x".repeat(1025);
    expect((await post(c.id, huge, bearer(c.token))).status).toBe(413);
    // No Content-Length: a stream that would go on for 64 MB is cut off after the limit.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 64 * 1024 * 1024) return controller.close();
        sent += 4096;
        controller.enqueue(new Uint8Array(4096));
      },
    });
    const streamed = await post(c.id, stream, { authorization: `Bearer ${c.token}` });
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(64 * 1024);
    expect((await post(c.id, "y".repeat(1024), bearer(c.token))).status).toBe(202);
  });

  it("past the channel's depth of open messages: 429 with Retry-After, and nothing accepted is lost", async () => {
    const c = await channel("json", { maxDepth: 2 });
    forgetDepthCounts();
    expect((await post(c.id, "one", bearer(c.token))).status).toBe(202);
    expect((await post(c.id, "two", bearer(c.token))).status).toBe(202);
    const refused = await post(c.id, "three", bearer(c.token));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/nothing you sent earlier is lost/);
    const [open] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from intake_messages where channel_id = ${c.id}`));
    expect(open!.n).toBe(2);
    // The worker finishing one frees a place.
    await asOperator((tx) => tx.execute(sql`update intake_messages set status = 'done' where channel_id = ${c.id} and raw = ${Buffer.from("one")}`));
    expect((await post(c.id, "three", bearer(c.token))).status).toBe(202);
    const supplier = await makeSupplier();
    await runCommand(updateChannelCommand, supplier.operator, meta, { channelId: c.id, maxDepth: 100 });
    expect((await post(c.id, "four", bearer(c.token))).status).toBe(202);
  });

  it("Shopify: the HMAC over the raw body is the credential; a wrong, missing or re-encoded one is 401", async () => {
    const c = await channel("shopify");
    expect(c.secret).toEqual(expect.any(String));
    const body = '{"id":5678901234567890123,"email":"a@example.test","total_price":"10.00"}';
    const sign = (bytes: string) => createHmac("sha256", c.secret!).update(bytes).digest("base64");
    expect((await post(c.id, body, { "content-type": "application/json", "x-shopify-hmac-sha256": sign(body), "x-shopify-shop-domain": "acme.myshopify.com" })).status).toBe(202);
    expect((await post(c.id, body, { "x-shopify-hmac-sha256": sign(`${body} `) })).status).toBe(401);
    expect((await post(c.id, body, { "x-shopify-hmac-sha256": "not base64 at all" })).status).toBe(401);
    expect((await post(c.id, body, {})).status).toBe(401);
    expect((await post(c.id, body, { "x-shopify-hmac-sha256": createHmac("sha256", "another secret").update(body).digest("base64") })).status).toBe(401);
    // A bearer alone does not replace the HMAC on a Shopify channel.
    expect((await post(c.id, body, bearer(c.token))).status).toBe(401);
  });

  it("one address guessing credentials is throttled with 429 and Retry-After (the API-token tally)", async () => {
    const c = await channel();
    const from = { ...bearer("guess"), "x-countersign-peer-ip": "203.0.113.77" };
    // Up to 70 tries: even if the tally's window turns over during the loop, one window sees 30.
    const statuses: number[] = [];
    let throttled: Response | null = null;
    for (let i = 0; i < 70 && !throttled; i++) {
      const response = await post(c.id, "{}", from);
      if (response.status === 429) throttled = response;
      else statuses.push(response.status);
    }
    expect(statuses.length).toBeGreaterThanOrEqual(30);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect(throttled?.status).toBe(429);
    expect(Number(throttled!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("cXML: the bearer is checked here; the shared secret inside the document is the worker's check", async () => {
    const c = await channel("cxml");
    expect(c.secret).toEqual(expect.any(String));
    expect((await post(c.id, "<cXML/>", { authorization: `Bearer ${c.token}`, "content-type": "text/xml" })).status).toBe(202);
    expect((await post(c.id, "<cXML/>", { "content-type": "text/xml" })).status).toBe(401);
  });
});

describe("intake read-back: GET /api/v1/intake/messages/{id} and /raw", () => {
  async function tokens() {
    const supplier = await makeSupplier();
    const tokenFor = async (operator: typeof supplier.operator, email: string) => (await runCommand(createApiTokenCommand, operator, meta, { email })).token;
    const viewer = await makeSupplierStaff("Viewer");
    const outsider = await makeOrg("Outsider");
    const outsiderAdmin = await makeMember(outsider.operator, { roleName: "Admin" });
    return { supplier, viewer: await tokenFor(supplier.operator, viewer.email), outsider: await tokenFor(outsider.operator, outsiderAdmin.email) };
  }
  const get = (handler: unknown, token: string, id: string, suffix = "") =>
    (handler as (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response>)(new Request(`http://localhost/api/v1/intake/messages/${id}${suffix}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ id }) });

  it("a supplier member reads exactly { id, channelId, status, documents }; another org gets 404", async () => {
    const t = await tokens();
    const c = await channel();
    const { id } = (await (await post(c.id, `{"n":"${randomUUID()}"}`, bearer(c.token))).json()) as { id: string };
    await asOperator((tx) =>
      tx.execute(sql`insert into intake_documents (org_id, channel_id, message_id, index, document_number, status, flags, reason)
        values (${t.supplier.id}, ${c.id}, ${id}, 1, 'PO-2', 'rejected', '{}', '{"code":"unknown_sku","message":"line 1: SKU \\"X\\" is not in the catalog","location":"/lines/0/sku"}'),
               (${t.supplier.id}, ${c.id}, ${id}, 0, 'PO-1', 'held', '{total_mismatch}', null)`),
    );
    const read = await get(messageRoute.GET, t.viewer, id);
    expect(read.status).toBe(200);
    expect(await read.json()).toStrictEqual({
      id,
      channelId: c.id,
      status: "received",
      documents: [
        { index: 0, documentNumber: "PO-1", status: "held", flags: ["total_mismatch"] },
        { index: 1, documentNumber: "PO-2", status: "rejected", flags: [], reason: { code: "unknown_sku", message: 'line 1: SKU "X" is not in the catalog', location: "/lines/0/sku" } },
      ],
    });
    expect((await get(messageRoute.GET, t.outsider, id)).status).toBe(404);
    expect((await get(messageRoute.GET, t.viewer, randomUUID())).status).toBe(404);
    expect((await get(rawRoute.GET, t.outsider, id, "/raw")).status).toBe(404);
  });

  it("raw bytes only under intake:manage, as an octet-stream attachment", async () => {
    const t = await tokens();
    const c = await channel();
    const body = `<script>alert(1)</script>${randomUUID()}`;
    const { id } = (await (await post(c.id, body, { authorization: `Bearer ${c.token}`, "content-type": "text/html" })).json()) as { id: string };
    expect((await get(rawRoute.GET, t.viewer, id, "/raw")).status).toBe(403);
    const supplier = await makeSupplier();
    const ops = await makeSupplierStaff("Operations");
    const opsToken = (await runCommand(createApiTokenCommand, supplier.operator, meta, { email: ops.email })).token;
    const raw = await get(rawRoute.GET, opsToken, id, "/raw");
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("application/octet-stream");
    expect(raw.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await raw.arrayBuffer()).toString()).toBe(body);
  });
});
