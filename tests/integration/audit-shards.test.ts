import postgres from "postgres";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE } from "@/db/app-role";
import { checkpointMovedChains } from "@/lib/audit/checkpoint";
import { hashEventV2 } from "@/lib/audit/hash-event";
import { verifyChain, type ChainReport } from "@/lib/audit/verify-chain";
import { makeBranch, makeOrg } from "../support/factories";
import { operatorDb } from "../support/as-operator";

/**
 * The sharded chain (docs/adr/0010): concurrent writers of one org take different shards, and
 * verification still names the first bad event, by shard and seq, whatever was tampered with.
 * Shards are made busy deterministically by holding their advisory locks from another
 * connection, as a writer whose transaction has appended and not yet committed holds them.
 */
let owner: postgres.Sql;
beforeAll(() => {
  owner = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end({ timeout: 5 });
});

const SHARD_LOCK_CLASS = 727_274_002;

/** Runs `fn` while shards `busy` of the org's chain are held by another open transaction. */
async function withShardsBusy<T>(orgId: string, busy: number[], fn: () => Promise<T>): Promise<T> {
  let result: T;
  await owner.begin(async (tx) => {
    for (const shard of busy) await tx`select pg_advisory_xact_lock(${SHARD_LOCK_CLASS}, hashtext(${`${orgId}:${shard}`}))`;
    result = await fn();
  });
  return result!;
}

async function tamper(fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await fn(tx);
  });
}

/** Both ways of checking: in this thread, and on worker threads (as large chains are). */
async function verifyBothWays(orgId: string): Promise<ChainReport> {
  const here = await verifyChain(operatorDb(), orgId);
  const onWorkers = await verifyChain(operatorDb(), orgId, { workersFrom: 1 });
  expect(onWorkers).toEqual(here);
  return here;
}

/** org.created in shard 0, three branches in shard 1, two in shard 2, one more in shard 0. */
async function shardedOrg() {
  const org = await makeOrg();
  await withShardsBusy(org.id, [0], async () => {
    for (let i = 0; i < 3; i++) await makeBranch(org.operator, `One ${i}`);
  });
  await withShardsBusy(org.id, [0, 1], async () => {
    for (let i = 0; i < 2; i++) await makeBranch(org.operator, `Two ${i}`);
  });
  await makeBranch(org.operator, "Back at zero");
  return org;
}

async function layout(orgId: string) {
  return owner<Array<{ shard: number; seq: number }>>`select shard::int, seq::int from audit_events where org_id = ${orgId} order by shard, seq`;
}

describe("sharded chains", () => {
  it("a writer takes the first free shard; each shard counts from 1; verification covers every shard, also on worker threads", async () => {
    const org = await shardedOrg();
    expect((await layout(org.id)).map((r) => `${r.shard}/${r.seq}`)).toEqual(["0/1", "0/2", "1/1", "1/2", "1/3", "2/1", "2/2"]);
    const report = await verifyBothWays(org.id);
    expect(report).toMatchObject({ intact: true, events: 7, firstBrokenShard: null, firstBrokenSeq: null });
    expect(report.shards.map((s) => [s.shard, s.seq])).toEqual([[0, 2], [1, 3], [2, 2]]);

    // A checkpoint signs the Merkle root over all 16 heads; verification recomputes and checks it.
    await checkpointMovedChains(operatorDb());
    const [checkpoint] = await owner`select seq::int as seq, heads from audit_checkpoints where org_id = ${org.id} order by id desc limit 1`;
    expect(checkpoint!.seq).toBe(7);
    expect((checkpoint!.heads as Array<[number, string]>).slice(0, 3).map(([seq]) => seq)).toEqual([2, 3, 2]);
    expect(await verifyBothWays(org.id)).toMatchObject({ intact: true, events: 7, checkpoints: { total: 1, verified: 1, signaturesChecked: true } });
  });

  it("Changing or deleting one entry makes verification fail at exactly that entry: in a shard other than the first", async () => {
    const changed = await shardedOrg();
    await tamper((tx) => tx`update audit_events set actor_label = 'someone-else' where org_id = ${changed.id} and shard = 1 and seq = 2`);
    expect(await verifyBothWays(changed.id)).toMatchObject({ intact: false, firstBrokenShard: 1, firstBrokenSeq: 2, problem: "shard 1: event 2 was changed after it was written" });

    const deleted = await shardedOrg();
    await tamper((tx) => tx`delete from audit_events where org_id = ${deleted.id} and shard = 1 and seq = 2`);
    expect(await verifyBothWays(deleted.id)).toMatchObject({ intact: false, firstBrokenShard: 1, firstBrokenSeq: 2, problem: "shard 1: event 2 is missing (deleted)" });
  });

  it("reordering events within a shard, or moving one to another shard, is caught where the links break", async () => {
    const swapped = await shardedOrg();
    await tamper(async (tx) => {
      await tx`update audit_events set seq = 100 where org_id = ${swapped.id} and shard = 1 and seq = 2`;
      await tx`update audit_events set seq = 2 where org_id = ${swapped.id} and shard = 1 and seq = 3`;
      await tx`update audit_events set seq = 3 where org_id = ${swapped.id} and shard = 1 and seq = 100`;
    });
    expect(await verifyBothWays(swapped.id)).toMatchObject({ intact: false, firstBrokenShard: 1, firstBrokenSeq: 2, problem: "shard 1: event 2 does not link to event 1 (inserted or re-linked)" });

    const moved = await shardedOrg();
    await tamper((tx) => tx`update audit_events set shard = 2 where org_id = ${moved.id} and shard = 1 and seq = 3`);
    // Shard 1 now ends early (only a checkpoint can tell); shard 2's new "event 3" does not link to its event 2.
    expect(await verifyBothWays(moved.id)).toMatchObject({ intact: false, firstBrokenShard: 2, firstBrokenSeq: 3, problem: "shard 2: event 3 does not link to event 2 (inserted or re-linked)" });
  });

  it("deleting a shard's last events under a signed checkpoint is caught at the first missing one", async () => {
    const org = await shardedOrg();
    await checkpointMovedChains(operatorDb());
    await tamper((tx) => tx`delete from audit_events where org_id = ${org.id} and shard = 1 and seq >= 2`);
    expect(await verifyBothWays(org.id)).toMatchObject({ intact: false, firstBrokenShard: 1, firstBrokenSeq: 2, problem: "shard 1: events 2 to 3 are missing: a signed checkpoint covers event 3" });
  });

  it("a writer killed mid-batch loses nothing committed and never forks a shard: its shard is free again and carries on from the last committed event", async () => {
    const org = await makeOrg();
    await makeBranch(org.operator, "Before");
    // The victim: an app-role connection that appends three events in one transaction, then dies.
    const victim = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, connection: { role: APP_ROLE, "countersign.bypass": "on" } });
    // Statements on one reserved connection, not begin(): nothing tries a ROLLBACK on the dead socket.
    const conn = await victim.reserve();
    await conn`begin`;
    const [backend] = await conn<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
    const victimPid = backend!.pid;
    for (let i = 0; i < 3; i++) {
      await conn`select * from audit_append(${org.id}::uuid, 'system', null, 'victim', 'test.batch', null, null, null, null, 'success', null, null, ${crypto.randomUUID()}, '{}'::jsonb, 1000)`;
    }
    const killed = conn`select pg_sleep(30)`.then(
      () => "still alive",
      () => "killed",
    );
    // While the victim holds shard 0, other writers go on in other shards.
    await Promise.all([makeBranch(org.operator, "During 1"), makeBranch(org.operator, "During 2")]);
    const [terminated] = await owner`select pg_terminate_backend(${victimPid}) as ok`;
    expect(terminated!.ok).toBe(true);
    expect(await killed).toBe("killed");
    await victim.end({ timeout: 1 }).catch(() => {});

    await makeBranch(org.operator, "After");
    const rows = await owner`select shard::int, seq::int, action, actor_label from audit_events where org_id = ${org.id} order by shard, seq`;
    expect(rows.filter((r) => r.action === "test.batch")).toEqual([]);
    // Shard 0 carries on at 3 (org.created, Before, After): the killed appends took no seq.
    expect(rows.filter((r) => r.shard === 0).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows).toHaveLength(5);
    expect(await verifyBothWays(org.id)).toMatchObject({ intact: true, events: 5 });
  });

  it("audit_append refuses an org outside the transaction's tenant scope", async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const app = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, connection: { role: APP_ROLE } });
    try {
      const attempt = app.begin(async (tx) => {
        await tx`select set_config('countersign.org_id', ${org.id}, true), set_config('countersign.bypass', 'off', true)`;
        await tx`select * from audit_append(${other.id}::uuid, 'system', null, 'forger', 'test.forged', null, null, null, null, 'success', null, null, null, '{}'::jsonb, 1000)`;
      });
      await expect(attempt).rejects.toMatchObject({ code: "42501" });
    } finally {
      await app.end({ timeout: 1 });
    }
    const [count] = await operatorDb().execute<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'test.forged'`);
    expect(count!.n).toBe(0);
  });
});

describe("hash version 2's encoding", () => {
  it("Encode CR/LF and control characters: values with tabs, newlines, backslashes and other controls hash alike in the database and in JavaScript, and verify", async () => {
    const org = await makeOrg();
    const awkward = "tab\there\nnew line\r\\back\\slash\b\f\v\u0001\u007f é 漢字 \u{1F600}";
    await makeBranch(org.operator, awkward);
    const [row] = await owner`
      select shard::int as shard, seq::int as seq, org_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
             actor_type, actor_id, actor_label, action, target_type, target_id, target_label, branch_id, outcome, ip, user_agent, request_id,
             metadata::text as metadata_text, prev_hash, hash
      from audit_events where org_id = ${org.id} and seq = 2 and shard = 0`;
    expect(row!.target_label).toBe(awkward);
    expect(
      hashEventV2({
        orgId: row!.org_id, shard: row!.shard, seq: row!.seq, occurredAt: row!.occurred_at, actorType: row!.actor_type, actorId: row!.actor_id,
        actorLabel: row!.actor_label, action: row!.action, targetType: row!.target_type, targetId: row!.target_id, targetLabel: row!.target_label,
        branchId: row!.branch_id, outcome: row!.outcome, ip: row!.ip, userAgent: row!.user_agent, requestId: row!.request_id,
        metadataText: row!.metadata_text, prevHash: row!.prev_hash,
      }),
    ).toBe(row!.hash);
    expect(await verifyBothWays(org.id)).toMatchObject({ intact: true, events: 2 });
    // And a change to one of those characters is caught at that event.
    await tamper((tx) => tx`update audit_events set target_label = ${awkward.replace("\t", " ")} where org_id = ${org.id} and seq = 2`);
    expect(await verifyBothWays(org.id)).toMatchObject({ intact: false, firstBrokenShard: 0, firstBrokenSeq: 2, problem: "event 2 was changed after it was written" });
  });
});
