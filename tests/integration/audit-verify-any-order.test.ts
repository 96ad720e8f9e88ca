import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashEventV2 } from "@/lib/audit/hash-event";
import { AUDIT_SHARDS } from "@/lib/audit/merkle-root";
import { verifyChain, type ChainReport, type VerifyOptions } from "@/lib/audit/verify-chain";
import { makeOrg } from "../support/factories";
import { operatorDb } from "../support/as-operator";

/**
 * verifyChain's fast path (docs/adr/0010): rows are read as they lie on disk, hashed in chunks
 * (on worker threads for long chains) and linked per shard from each chunk's runs; only when
 * something does not hold is the chain read again in (shard, seq) order to name the first bad
 * event. These tests put the chain on disk out of order and the tampering at every place of a
 * chunk (first row, middle, last, a chunk of one row), in this thread and on the workers.
 */
let owner: postgres.Sql;
beforeAll(() => {
  owner = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end({ timeout: 5 });
});

const EVENTS = 160; // 10 per shard, on top of org.created in shard 0
// Chunk sizes in bytes: one row per chunk, a few rows, some tens of rows, everything in one chunk.
const CHUNKS = [1, 1500, 9000, 1 << 20];

/** Appends `count` events round-robin over the 16 shards, hashed as audit_append hashes them. */
async function appendChain(orgId: string, count: number): Promise<void> {
  const heads = (await owner`select shard::int as shard, seq::int as seq, hash from audit_chain_heads(${orgId}::uuid) order by shard`).map((r) => [r.seq as number, r.hash as string] as [number, string]);
  for (let n = 0; n < count; n++) {
    const shard = n % AUDIT_SHARDS;
    const [last, prevHash] = heads[shard]!;
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
    const fields = {
      orgId, shard, seq: last + 1, occurredAt, actorType: "user", actorId: null, actorLabel: `buyer-${n}@example.test`, action: "order.created",
      targetType: "order", targetId: `order-${n}`, targetLabel: `PO-${n}`, branchId: null, outcome: "success", ip: "203.0.113.9",
      userAgent: "test", requestId: `req-${n}`, metadataText: `{"n": ${n}}`, prevHash,
    };
    const hash = hashEventV2(fields);
    await owner`
      insert into audit_events (org_id, shard, seq, hash_version, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, target_label,
                                branch_id, outcome, ip, user_agent, request_id, metadata, prev_hash, hash)
      values (${orgId}, ${shard}, ${fields.seq}, 2, ${occurredAt}, 'user', null, ${fields.actorLabel}, 'order.created', 'order', ${fields.targetId}, ${fields.targetLabel},
              null, 'success', ${fields.ip}, 'test', ${fields.requestId}, (${fields.metadataText}::text)::jsonb, ${prevHash}, ${hash})`;
    heads[shard] = [fields.seq, hash];
  }
}

async function tamper(fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await fn(tx);
  });
}

/** Rewrites the org's rows onto disk in reverse chain order (as a restore or a rewrite might). */
async function reverseOnDisk(orgId: string): Promise<void> {
  await tamper(async (tx) => {
    await tx`create temp table moved on commit drop as select * from audit_events where org_id = ${orgId}`;
    await tx`delete from audit_events where org_id = ${orgId}`;
    await tx`insert into audit_events select * from moved order by shard desc, seq desc`;
  });
}

/** Every chunk size, in this thread and on worker threads: all must say the same. */
async function verifyEveryWay(orgId: string): Promise<ChainReport> {
  const reports: ChainReport[] = [];
  for (const chunkBytes of CHUNKS) {
    for (const workersFrom of [Number.MAX_SAFE_INTEGER, 1]) {
      const options: VerifyOptions = { chunkBytes, workersFrom };
      reports.push(await verifyChain(operatorDb(), orgId, options));
    }
  }
  for (const report of reports.slice(1)) expect(report).toEqual(reports[0]);
  return reports[0]!;
}

async function chainOf(count: number) {
  const org = await makeOrg();
  await appendChain(org.id, count);
  return org;
}

describe("verification of rows in any order on disk", () => {
  it("a chain stored backwards verifies intact, with the same heads as in order", async () => {
    const org = await chainOf(EVENTS);
    const inOrder = await verifyEveryWay(org.id);
    expect(inOrder).toMatchObject({ intact: true, events: EVENTS + 1 });
    expect(inOrder.shards).toHaveLength(AUDIT_SHARDS);
    await reverseOnDisk(org.id);
    expect(await verifyEveryWay(org.id)).toEqual(inOrder);
  });

  it("progress is reported up to every event", async () => {
    const org = await chainOf(EVENTS);
    const seen: number[] = [];
    await verifyChain(operatorDb(), org.id, { chunkBytes: 1500, workersFrom: 1, onProgress: (checked, total) => (expect(total).toBe(EVENTS + 1), seen.push(checked)) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(EVENTS + 1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  // Shard 5's events are the 6th, 22nd, ... appended: its seq 1 is early on disk, seq 10 the last.
  for (const [label, seq] of [["its first event", 1], ["an event in the middle", 5], ["its last event", 10]] as const) {
    it(`a change to ${label} of a shard is named, wherever it falls in a chunk, in order or backwards on disk`, async () => {
      for (const backwards of [false, true]) {
        const org = await chainOf(EVENTS);
        if (backwards) await reverseOnDisk(org.id);
        await tamper((tx) => tx`update audit_events set actor_label = 'someone-else' where org_id = ${org.id} and shard = 5 and seq = ${seq}`);
        expect(await verifyEveryWay(org.id)).toMatchObject({ intact: false, firstBrokenShard: 5, firstBrokenSeq: seq, problem: `shard 5: event ${seq} was changed after it was written` });
      }
    });
  }

  it("the very last event of the chain, changed, is named", async () => {
    const org = await chainOf(EVENTS);
    const [last] = await owner`select shard::int as shard, seq::int as seq from audit_events where org_id = ${org.id} order by id desc limit 1`;
    await tamper((tx) => tx`update audit_events set metadata = '{"n": -1}' where org_id = ${org.id} and shard = ${last!.shard} and seq = ${last!.seq}`);
    expect(await verifyEveryWay(org.id)).toMatchObject({ intact: false, firstBrokenShard: last!.shard, firstBrokenSeq: last!.seq, problem: `shard ${last!.shard}: event ${last!.seq} was changed after it was written` });
  });

  it("a deleted event in the middle of a shard is named, also when what follows it is early on disk", async () => {
    for (const backwards of [false, true]) {
      const org = await chainOf(EVENTS);
      if (backwards) await reverseOnDisk(org.id);
      await tamper((tx) => tx`delete from audit_events where org_id = ${org.id} and shard = 3 and seq = 4`);
      expect(await verifyEveryWay(org.id)).toMatchObject({ intact: false, firstBrokenShard: 3, firstBrokenSeq: 4, problem: "shard 3: event 4 is missing (deleted)" });
    }
  });

  it("two events swapped, or an event re-linked with a recomputed hash, is named where the link breaks", async () => {
    const swapped = await chainOf(EVENTS);
    await tamper(async (tx) => {
      await tx`update audit_events set seq = 100 where org_id = ${swapped.id} and shard = 7 and seq = 3`;
      await tx`update audit_events set seq = 3 where org_id = ${swapped.id} and shard = 7 and seq = 4`;
      await tx`update audit_events set seq = 4 where org_id = ${swapped.id} and shard = 7 and seq = 100`;
    });
    // The seq is in the hashed text, so the first moved row no longer links (checked before its hash).
    expect(await verifyEveryWay(swapped.id)).toMatchObject({ intact: false, firstBrokenShard: 7, firstBrokenSeq: 3, problem: "shard 7: event 3 does not link to event 2 (inserted or re-linked)" });

    // A row rewritten consistently (its own hash recomputed) still breaks the next one's link.
    const relinked = await chainOf(EVENTS);
    const [row] = await owner`
      select org_id, shard::int as shard, seq::int as seq, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, actor_type, actor_id,
             actor_label, action, target_type, target_id, target_label, branch_id, outcome, ip, user_agent, request_id, metadata::text as metadata_text, prev_hash
      from audit_events where org_id = ${relinked.id} and shard = 9 and seq = 6`;
    const forged = hashEventV2({
      orgId: row!.org_id, shard: 9, seq: 6, occurredAt: row!.occurred_at, actorType: row!.actor_type, actorId: row!.actor_id, actorLabel: "forged@example.test",
      action: row!.action, targetType: row!.target_type, targetId: row!.target_id, targetLabel: row!.target_label, branchId: row!.branch_id, outcome: row!.outcome,
      ip: row!.ip, userAgent: row!.user_agent, requestId: row!.request_id, metadataText: row!.metadata_text, prevHash: row!.prev_hash,
    });
    await tamper((tx) => tx`update audit_events set actor_label = 'forged@example.test', hash = ${forged} where org_id = ${relinked.id} and shard = 9 and seq = 6`);
    expect(await verifyEveryWay(relinked.id)).toMatchObject({ intact: false, firstBrokenShard: 9, firstBrokenSeq: 7, problem: "shard 9: event 7 does not link to event 6 (inserted or re-linked)" });
  });

  it("a seq outside any chain (0, negative) or a shard outside 0..15 is left to the ordered check, which names it", async () => {
    const zero = await chainOf(EVENTS);
    await tamper((tx) => tx`update audit_events set seq = 0 where org_id = ${zero.id} and shard = 2 and seq = 1`);
    expect(await verifyEveryWay(zero.id)).toMatchObject({ intact: false, firstBrokenShard: 2, firstBrokenSeq: 1, problem: "shard 2: event 1 is missing (deleted)" });

    const negative = await chainOf(EVENTS);
    await tamper((tx) => tx`update audit_events set seq = -4 where org_id = ${negative.id} and shard = 4 and seq = 2`);
    expect(await verifyEveryWay(negative.id)).toMatchObject({ intact: false, firstBrokenShard: 4, firstBrokenSeq: 1, problem: "shard 4: event 1 is missing (deleted)" });

    const outside = await chainOf(EVENTS);
    await tamper((tx) => tx`update audit_events set shard = 40 where org_id = ${outside.id} and shard = 6 and seq = 10`);
    expect(await verifyEveryWay(outside.id)).toMatchObject({ intact: false, firstBrokenShard: 40, firstBrokenSeq: 1, problem: "shard 40: event 1 is missing (deleted)" });
  });
});
