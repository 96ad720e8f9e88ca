import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { hashEventV2 } from "@/lib/audit/hash-event";
import { AUDIT_SHARDS } from "@/lib/audit/merkle-root";
import { openSideReader } from "@/lib/audit/open-side-reader";
import { verifyChain, type VerifyOptions } from "@/lib/audit/verify-chain";
import { makeOrg } from "../support/factories";
import { operatorDb } from "../support/as-operator";

/**
 * A long chain is read by two COPY streams at once (lib/audit/scan-chain.ts): the first over the
 * table's blocks before a split block, the second, on another connection scoped as the caller's
 * (lib/audit/open-side-reader.ts), over the rest. Both stop at the shard heads read when the
 * verification started.
 */
let owner: postgres.Sql;
beforeAll(() => {
  owner = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end({ timeout: 5 });
});

// About 15 rows a block: some 40 blocks, so a split falls inside the chain.
const EVENTS = 600;
const TWO_STREAMS: VerifyOptions = { workersFrom: 1, chunkBytes: 9000, streams: 2 };

const heads = new Map<string, Array<[number, string]>>();

/** Appends `count` events round-robin over the 16 shards, hashed as audit_append hashes them. */
async function appendChain(orgId: string, count: number, label = "buyer"): Promise<void> {
  let chain = heads.get(orgId);
  if (!chain) {
    chain = (await owner`select seq::int as seq, hash from audit_chain_heads(${orgId}::uuid) order by shard`).map((r) => [r.seq as number, r.hash as string] as [number, string]);
    heads.set(orgId, chain);
  }
  const rows: Array<Record<string, postgres.JSONValue>> = [];
  for (let n = 0; n < count; n++) {
    const shard = n % AUDIT_SHARDS;
    const [last, prevHash] = chain[shard]!;
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
    const fields = {
      orgId, shard, seq: last + 1, occurredAt, actorType: "user", actorId: null, actorLabel: `${label}-${n}@example.test`, action: "order.created",
      targetType: "order", targetId: `order-${n}`, targetLabel: `PO-${n}`, branchId: null, outcome: "success", ip: "203.0.113.9",
      userAgent: "test", requestId: `req-${n}`, metadataText: `{"n": ${n}}`, prevHash,
    };
    const hash = hashEventV2(fields);
    chain[shard] = [fields.seq, hash];
    rows.push({
      org_id: orgId, shard, seq: fields.seq, hash_version: 2, occurred_at: occurredAt, actor_type: "user", actor_id: null, actor_label: fields.actorLabel,
      action: fields.action, target_type: "order", target_id: fields.targetId, target_label: fields.targetLabel, branch_id: null, outcome: "success",
      ip: fields.ip, user_agent: "test", request_id: fields.requestId, metadata: JSON.parse(fields.metadataText) as postgres.JSONValue, prev_hash: prevHash, hash,
    });
  }
  for (let i = 0; i < rows.length; i += 200) await owner`insert into audit_events ${owner(rows.slice(i, i + 200))}`;
}

async function tamper(fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await fn(tx);
  });
}

/** The org's rows' first and last block, and the row (shard, seq) at each end of the table. */
async function layoutOf(orgId: string) {
  const rows = await owner`select (ctid::text::point)[0]::int as block, shard::int as shard, seq::int as seq from audit_events where org_id = ${orgId} order by ctid`;
  return { first: rows[0]!, last: rows.at(-1)! };
}

/** verifyChain with two streams; fails the test if the chain was not split inside its rows. */
async function verifySplit(orgId: string) {
  const layout = await layoutOf(orgId);
  let split = -1;
  const report = await verifyChain(operatorDb(), orgId, { ...TWO_STREAMS, onSplit: (block) => (split = block) });
  expect(split).toBeGreaterThan(layout.first.block as number);
  expect(split).toBeLessThanOrEqual(layout.last.block as number);
  return report;
}

describe("verification with two COPY streams", () => {
  it("splits a long chain between two streams and reports exactly what one stream reports", async () => {
    const org = await makeOrg();
    await appendChain(org.id, EVENTS);
    const two = await verifySplit(org.id);
    expect(two).toMatchObject({ intact: true, events: EVENTS + 1, problem: null });
    expect(await verifyChain(operatorDb(), org.id, { ...TWO_STREAMS, streams: 1 })).toEqual(two);
    expect(await verifyChain(operatorDb(), org.id, { workersFrom: Number.MAX_SAFE_INTEGER })).toEqual(two);
  });

  it("a change in the second stream's part of the table is named", async () => {
    const org = await makeOrg();
    await appendChain(org.id, EVENTS);
    const { last } = await layoutOf(org.id);
    await tamper((tx) => tx`update audit_events set actor_label = 'someone-else' where org_id = ${org.id} and shard = ${last.shard} and seq = ${last.seq}`);
    const where = last.shard === 0 ? "" : `shard ${last.shard}: `;
    expect(await verifySplit(org.id)).toMatchObject({ intact: false, firstBrokenShard: last.shard, firstBrokenSeq: last.seq, problem: `${where}event ${last.seq} was changed after it was written` });
  });

  it("a change in the first stream's part, and a deletion in the second's, are named", async () => {
    const changed = await makeOrg();
    await appendChain(changed.id, EVENTS);
    const { first } = await layoutOf(changed.id);
    await tamper((tx) => tx`update audit_events set metadata = '{"n": -1}' where org_id = ${changed.id} and shard = ${first.shard} and seq = ${first.seq}`);
    expect(await verifySplit(changed.id)).toMatchObject({ intact: false, firstBrokenShard: first.shard, firstBrokenSeq: first.seq });

    const deleted = await makeOrg();
    await appendChain(deleted.id, EVENTS);
    // Shard 9's seq 30 lies in the last third of the chain's rows, in the second stream's part.
    await tamper((tx) => tx`delete from audit_events where org_id = ${deleted.id} and shard = 9 and seq = 30`);
    expect(await verifySplit(deleted.id)).toMatchObject({ intact: false, firstBrokenShard: 9, firstBrokenSeq: 30, problem: "shard 9: event 30 is missing (deleted)" });
  });

  it("events appended while it runs are neither read nor counted, and the heads it reports are stored rows", async () => {
    const org = await makeOrg();
    await appendChain(org.id, EVENTS);
    let appending = true;
    let appended = 0;
    const writer = (async () => {
      while (appending) {
        await appendChain(org.id, 16, `late-${appended}`);
        appended += 16;
      }
    })();
    const reports = [];
    try {
      for (let i = 0; i < 3; i++) reports.push(await verifyChain(operatorDb(), org.id, TWO_STREAMS));
    } finally {
      appending = false;
      await writer;
    }
    expect(appended).toBeGreaterThan(0);
    for (const report of reports) {
      expect(report.intact).toBe(true);
      expect(report.events).toBe(report.shards.reduce((sum, s) => sum + s.seq, 0));
      for (const { shard, seq, hash } of report.shards) {
        const [row] = await owner`select hash from audit_events where org_id = ${org.id} and shard = ${shard} and seq = ${seq}`;
        expect(row?.hash).toBe(hash);
      }
    }
    const after = await verifyChain(operatorDb(), org.id, TWO_STREAMS);
    expect(after).toMatchObject({ intact: true, events: EVENTS + 1 + appended });
  });

  it("the second connection reads as the caller: the same tenant scope, never another org's rows", async () => {
    const mine = await makeOrg();
    const theirs = await makeOrg();
    await appendChain(mine.id, 20);
    await appendChain(theirs.id, 20);
    const seen = await withTenantScope({ orgId: mine.id, userId: null, bypass: false }, async (tx) => {
      const side = await openSideReader(tx);
      expect(side).not.toBeNull();
      try {
        return await side!.sql<Array<{ org_id: string; n: number }>>`select org_id::text, count(*)::int as n from audit_events group by org_id`;
      } finally {
        await side!.close();
      }
    }, getDb());
    expect(seen).toEqual([{ org_id: mine.id, n: 21 }]);
    // And verified under that scope, the org's own chain is whole; another org's shows nothing.
    const scoped = (orgId: string) => withTenantScope({ orgId: mine.id, userId: null, bypass: false }, (tx) => verifyChain(tx, orgId, TWO_STREAMS), getDb());
    expect(await scoped(mine.id)).toMatchObject({ intact: true, events: 21 });
    // Another org's chain is refused outright (its shard heads are read by audit_chain_heads, which checks the scope).
    const refused = await scoped(theirs.id).then(() => null, (error: unknown) => error as Error & { cause?: Error });
    expect(String(refused?.cause?.message ?? refused?.message)).toMatch(/outside this transaction's tenant scope/);
  });

  it("a pool of one connection reads with one stream instead of waiting for a second", async () => {
    const org = await makeOrg();
    await appendChain(org.id, EVENTS);
    const single = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, connection: { "countersign.bypass": "on" } });
    try {
      const { drizzle } = await import("drizzle-orm/postgres-js");
      let split: number | null = null;
      const report = await verifyChain(drizzle(single), org.id, { ...TWO_STREAMS, onSplit: (block) => (split = block) });
      expect(split).toBeNull();
      expect(report).toMatchObject({ intact: true, events: EVENTS + 1 });
    } finally {
      await single.end({ timeout: 5 });
    }
  });
});
