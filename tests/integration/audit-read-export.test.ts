import { readAs } from "@/lib/core/read-as";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/v1/audit/export/route";
import { checkpointMovedChains } from "@/lib/audit/checkpoint";
import { exportAuditJsonl } from "@/lib/audit/export-audit-events";
import { hashEventV2 } from "@/lib/audit/hash-event";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditListQuerySchema } from "@/lib/audit/schemas";
import { systemPrincipal } from "@/lib/core/system-principal";
import { makeBranch, makeOrder } from "../support/factories";
import { apiRequest, buildAuditedOrg, countEvents, issueToken } from "./audit-read-fixtures";
import { operatorDb } from "../support/as-operator";

type Built = Awaited<ReturnType<typeof buildAuditedOrg>>;

async function download(t: Built, query: string, email = t.rootAuditor.email) {
  const response = await exportRoute(apiRequest(`/api/v1/audit/export?${query}`, await issueToken(t.org, email)));
  expect(response.status).toBe(200);
  return { response, text: await response.text() };
}

const jsonRecords = (text: string) => text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });

/** RFC 4180: quoted fields may hold commas and doubled quotes; records end in CRLF. */
function parseCsv(text: string): string[][] {
  expect(text.endsWith("\r\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\r\n")
    .map((line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => (m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!)));
}

async function signHead(orgId: string) {
  await checkpointMovedChains(operatorDb());
  const [row] = await operatorDb().execute<{ seq: number; hash: string }>(sql`select seq::int, hash from audit_checkpoints where org_id = ${orgId} order by seq desc limit 1`);
  return row!;
}

describe("exports", () => {
  it("stream the whole filtered set, oldest first, between the checkpoint and an end record", async () => {
    const t = await buildAuditedOrg();
    for (let i = 0; i < 4; i++) await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.buyer.userId });
    const checkpoint = await signHead(t.org.id);
    await makeBranch(t.org.operator, "After the checkpoint");

    const { response, text } = await download(t, "format=jsonl&action=order.");
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="audit-${t.org.slug}-\\d{8}T\\d{6}Z\\.jsonl"$`));
    expect(response.headers.get("x-audit-checkpoint-seq")).toBe(String(checkpoint.seq));
    const records = jsonRecords(text);
    expect(records[0]).toMatchObject({ type: "checkpoint", orgId: t.org.id, seq: checkpoint.seq, hash: checkpoint.hash, keyId: expect.any(String), signature: expect.any(String) });
    const events = records.slice(1, -1);
    const expected = (await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, auditListQuerySchema.parse({ action: "order.", limit: 200 })))).data.reverse();
    expect(events.map((e) => e.id)).toEqual(expected.map((e) => e.id));
    expect(events).toHaveLength(6);
    expect(records.at(-1)).toEqual({ type: "end", events: 6, throughSeq: expect.any(Number) });

    const csv = parseCsv((await download(t, "format=csv&action=order.")).text);
    expect(csv[0]![0]).toBe("record_type");
    expect(csv.map((r) => r[0])).toEqual(["record_type", "checkpoint", ...Array(6).fill("event"), "end"]);
    expect(csv[1]![csv[0]!.indexOf("hash")]).toBe(checkpoint.hash);
  });

  it("are recorded as audit.exported before the first row, and include that record when unfiltered", async () => {
    const t = await buildAuditedOrg();
    const response = await exportRoute(apiRequest("/api/v1/audit/export?format=csv&outcome=success", await issueToken(t.org, t.rootAuditor.email)));
    expect(await countEvents("audit.exported", t.org.id)).toBe(1);
    const text = await response.text();
    expect(text).toContain('"audit.exported"');
    const [record] = (await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, auditListQuerySchema.parse({ action: "audit.exported" })))).data;
    expect(record).toMatchObject({ actorLabel: t.rootAuditor.email, metadata: { format: "csv", filters: { outcome: "success" } } });
  });

  it("read in keyset batches with no duplicates or gaps, and stop at the head seen when they started", async () => {
    const t = await buildAuditedOrg();
    const operator = systemPrincipal("cli", { id: t.org.id, slug: t.org.slug, name: t.org.name });
    const collect = async (batchSize: number) => {
      const out: string[] = [];
      for await (const chunk of exportAuditJsonl(operatorDb(), operator, {}, { batchSize })) out.push(chunk);
      return jsonRecords(out.join("")).filter((r) => r.type === "event").map((r) => r.seq);
    };
    const whole = await collect(2000);
    expect(whole).toEqual(Array.from({ length: whole.length }, (_, i) => i + 1));
    expect(await collect(2)).toEqual(whole);

    const stream = exportAuditJsonl(operatorDb(), operator, {}, { batchSize: 3 });
    const first = await stream.next(); // the checkpoint line: the snapshot is taken
    expect(jsonRecords(first.value as string)[0]!.type).toBe("checkpoint");
    await makeBranch(t.org.operator, "Appended meanwhile");
    const rest: string[] = [];
    for await (const chunk of stream) rest.push(chunk);
    expect(jsonRecords(rest.join("")).filter((r) => r.type === "event").map((r) => r.seq)).toEqual(whole);
  });

  it("of a branch-scoped auditor hold only its subtree's events", async () => {
    const t = await buildAuditedOrg();
    const events = jsonRecords((await download(t, "format=jsonl", t.naAuditor.email)).text).filter((r) => r.type === "event");
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect([t.na.id, t.chicago.id]).toContain(e.branchId);
  });
});

describe("Encode CR/LF and control characters", () => {
  const forged = "ops\r\n2026-01-01T00:00:00Z admin@acme.test auth.signin.succeeded\u0007\u001b[2J\u009b\u2028\u2029\u202e\tend";
  const rawUnsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  async function buildForgery() {
    const t = await buildAuditedOrg();
    const operator = systemPrincipal(forged, { id: t.org.id, slug: t.org.slug, name: t.org.name });
    const branch = await makeBranch(operator, `Depot${forged}`);
    return { ...t, branch };
  }

  it("in the list DTO, every string (metadata included) shows escapes instead of control characters", async () => {
    const t = await buildForgery();
    const [event] = (await readAs(t.rootAuditor.principal, (tx) => listAuditEvents(tx, t.rootAuditor.principal, auditListQuerySchema.parse({ target: t.branch.id })))).data;
    const visible = "ops\\r\\n2026-01-01T00:00:00Z admin@acme.test auth.signin.succeeded\\u0007\\u001b[2J\\u009b\\u2028\\u2029\\u202e\\tend";
    expect(event!.actorLabel).toBe(visible);
    expect(event!.metadata).toEqual({ after: { name: `Depot${visible}`, parentId: null } });
    const strings: string[] = [];
    JSON.stringify(event, (_k, v) => (typeof v === "string" ? (strings.push(v), v) : v));
    for (const s of strings) expect(rawUnsafe.test(s) || s.includes("\n"), s).toBe(false);
  });

  it("in JSON Lines, one physical line per record with exact values, so each hash can be recomputed", async () => {
    const t = await buildForgery();
    const text = (await download(t, `format=jsonl&target=${t.branch.id}`)).text;
    expect(rawUnsafe.test(text)).toBe(false);
    const records = jsonRecords(text);
    expect(records.map((r) => r.type)).toEqual(["checkpoint", "event", "end"]);
    const event = records[1] as unknown as Parameters<typeof hashEventV2>[0] & { hash: string };
    expect(event.actorLabel).toBe(forged);
    expect(hashEventV2(event)).toBe(event.hash);
  });

  it("in CSV, one physical line per record with escapes in place of control characters", async () => {
    const t = await buildForgery();
    const text = (await download(t, `format=csv&target=${t.branch.id}`)).text;
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(5); // header, checkpoint, the event, end, and the empty rest after the last CRLF
    for (const line of lines) expect(rawUnsafe.test(line) || line.includes("\n") || line.includes("\r")).toBe(false);
    const rows = parseCsv(text);
    const label = rows[2]![rows[0]!.indexOf("actor_label")];
    expect(label).toBe("ops\\r\\n2026-01-01T00:00:00Z admin@acme.test auth.signin.succeeded\\u0007\\u001b[2J\\u009b\\u2028\\u2029\\u202e\\tend");
  });

  it("CSV cells that a spreadsheet would run as formulas start with an apostrophe", async () => {
    const t = await buildAuditedOrg();
    const labels = ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(1)", "plain, with \"quotes\""];
    for (const label of labels) await makeBranch(systemPrincipal(label, { id: t.org.id, slug: t.org.slug, name: t.org.name }), `B ${labels.indexOf(label)}`);
    const rows = parseCsv((await download(t, "format=csv&action=branch.created")).text);
    const cells = rows.slice(2, -1).map((r) => r[rows[0]!.indexOf("actor_label")]).filter((l) => l !== "test");
    expect(cells).toEqual(['\'=HYPERLINK("http://evil.test","x")', "'+1+1", "'-2+3", "'@SUM(1)", 'plain, with "quotes"']);
  });
});
