import { createPublicKey, verify } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branches } from "@/db/schema";
import { noAccess } from "@/lib/access/access";
import { checkpointMessage, checkpointMovedChains } from "@/lib/audit/checkpoint";
import { GENESIS_HASH, hashEventV2 } from "@/lib/audit/hash-event";
import { merkleRoot } from "@/lib/audit/merkle-root";
import { publicKeyPem } from "@/lib/audit/signing-key";
import { verifyChain } from "@/lib/audit/verify-chain";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { recordRejectedApiTokenCommand } from "@/lib/identity/record-rejected-api-token";
import { makeBranch, makeOrg, meta } from "../support/factories";
import { operatorDb } from "../support/as-operator";

/**
 * The audit trail's tamper evidence, on real PostgreSQL: chain shape, concurrent appends, the
 * append-only table, and what verification reports after each kind of tampering. Tampering uses
 * the owner (superuser) connection with triggers switched off for its transaction, as an
 * attacker holding the database would.
 */
let owner: postgres.Sql;
beforeAll(() => {
  // The test database's URL names no role, so this connection is the owner (superuser), not countersign_app.
  owner = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end({ timeout: 5 });
});

const anonymous: Principal = { actor: { type: "anonymous", label: "anonymous" }, org: null, membershipId: null, access: noAccess };

interface EventRow {
  shard: number;
  seq: number;
  hash_version: number;
  org_id: string | null;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  branch_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
  metadata_text: string;
  prev_hash: string;
  hash: string;
}

/** One chain's rows in order, read as the owner (what verification reads, exactly). */
async function chainRows(orgId: string | null): Promise<EventRow[]> {
  const rows = await owner<EventRow[]>`
    select shard::int as shard, seq::int as seq, hash_version::int as hash_version, org_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
           actor_type, actor_id, actor_label, action, target_type, target_id, target_label, branch_id, outcome, ip, user_agent, request_id,
           metadata, metadata::text as metadata_text, prev_hash, hash
    from audit_events where org_id is not distinct from ${orgId}::uuid order by shard, seq`;
  return [...rows];
}

/** Runs statements as the owner with the append-only triggers off, as only a superuser can. */
async function tamper(fn: (tx: postgres.TransactionSql) => Promise<unknown>): Promise<void> {
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await fn(tx);
  });
}

function rehash(r: EventRow, prevHash: string): string {
  return hashEventV2({
    orgId: r.org_id,
    shard: r.shard,
    seq: r.seq,
    occurredAt: r.occurred_at,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    targetLabel: r.target_label,
    branchId: r.branch_id,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    metadataText: r.metadata_text,
    prevHash,
  });
}

/** A new org whose chain holds `events` events: org.created, then branches. */
async function orgWithEvents(events: number) {
  const org = await makeOrg();
  for (let i = 2; i <= events; i++) await makeBranch(org.operator, `Branch ${i}`);
  return org;
}

async function withCheckpointEvery<T>(n: number, fn: () => Promise<T>): Promise<T> {
  const before = process.env.AUDIT_CHECKPOINT_EVERY;
  process.env.AUDIT_CHECKPOINT_EVERY = String(n);
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.AUDIT_CHECKPOINT_EVERY;
    else process.env.AUDIT_CHECKPOINT_EVERY = before;
  }
}

/** Every shard of a chain: seq 1..n contiguous, each event linked to the one before it in its shard. */
function expectLinked(rows: EventRow[]) {
  for (const shard of new Set(rows.map((r) => r.shard))) {
    const inShard = rows.filter((r) => r.shard === shard);
    expect(inShard.map((r) => r.seq)).toEqual(inShard.map((_, i) => i + 1));
    inShard.forEach((r, i) => {
      expect(r.prev_hash, `prev_hash of ${shard}/${r.seq}`).toBe(i === 0 ? GENESIS_HASH : inShard[i - 1]!.hash);
      expect(rehash(r, r.prev_hash), `hash of ${shard}/${r.seq}`).toBe(r.hash);
    });
  }
}

describe("the hash chain", () => {
  it("events of one org get seq 1..n contiguous with prev_hash links; events with org null form their own chain", async () => {
    const org = await orgWithEvents(4);
    const rows = await chainRows(org.id);
    expect(rows.map((r) => r.action)).toEqual(["org.created", "branch.created", "branch.created", "branch.created"]);
    // One writer at a time always finds shard 0 free: a quiet org's trail is one plain chain.
    expect(rows.map((r) => r.shard)).toEqual([0, 0, 0, 0]);
    expectLinked(rows);
    const heads = Array.from({ length: 16 }, (_, shard): [number, string] => (shard === 0 ? [4, rows[3]!.hash] : [0, GENESIS_HASH]));
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: true, events: 4, head: { seq: 4, hash: merkleRoot(heads) }, shards: [{ shard: 0, seq: 4, hash: rows[3]!.hash }] });

    // A second org starts a chain of its own at 1; appending to it leaves the first untouched.
    const other = await orgWithEvents(2);
    expectLinked(await chainRows(other.id));
    expect(await chainRows(org.id)).toEqual(rows);

    // Events outside any org (a rejected API token, a failed sign-in) chain among themselves.
    const before = (await chainRows(null)).length;
    await runCommand(recordRejectedApiTokenCommand, anonymous, meta, { prefix: null });
    await runCommand(recordRejectedApiTokenCommand, anonymous, meta, { prefix: "cs_abcdefg" });
    const global = await chainRows(null);
    expect(global).toHaveLength(before + 2);
    expectLinked(global);
    expect(global.slice(-2).map((r) => r.action)).toEqual(["auth.api-token.rejected", "auth.api-token.rejected"]);
    expect(await verifyChain(operatorDb(), null)).toMatchObject({ intact: true, events: before + 2 });
  });

  it("parallel writers: 30 concurrent commands on one org leave one contiguous chain with no fork", async () => {
    const org = await makeOrg();
    await Promise.all(Array.from({ length: 30 }, (_, i) => makeBranch(org.operator, `Parallel ${i}`)));
    const rows = await chainRows(org.id);
    expect(rows).toHaveLength(31);
    expectLinked(rows);
    // A fork would be two events extending the same head of a shard.
    expect(new Set(rows.map((r) => `${r.shard}:${r.prev_hash}`)).size).toBe(rows.length);
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: true, events: 31, firstBrokenSeq: null });
  });

  it("a failed audit insert rolls the change back", async () => {
    const org = await makeOrg();
    // A command whose change succeeds but whose event cannot be written.
    const branchWithBadMetadata = defineCommand({
      name: "test.branch-with-bad-metadata",
      access: "system",
      input: z.object({ name: z.string(), metadata: z.custom<Record<string, unknown>>() }),
      async run({ tx, principal }, input) {
        const id = crypto.randomUUID();
        await tx.insert(branches).values({ id, orgId: principal.org!.id, parentId: null, name: input.name, path: `/${id}/` });
        return { result: id, target: { type: "branch", id }, metadata: input.metadata };
      },
    });
    // Fails in JavaScript inside the append (JSON cannot hold a BigInt) ...
    await expect(runCommand(branchWithBadMetadata, org.operator, meta, { name: "BigInt", metadata: { size: 10n } })).rejects.toThrow(/BigInt/);
    // ... and in PostgreSQL at the INSERT itself (jsonb refuses a lone surrogate).
    await expect(runCommand(branchWithBadMetadata, org.operator, meta, { name: "Surrogate", metadata: { name: "\ud800" } })).rejects.toThrow();

    const left = await operatorDb().select({ name: branches.name }).from(branches).where(eq(branches.orgId, org.id));
    expect(left).toEqual([]);
    const rows = await chainRows(org.id);
    expect(rows.map((r) => r.action)).toEqual(["org.created"]);
    // The chain carries on from where it was: the failed appends took no seq.
    await makeBranch(org.operator, "After");
    expectLinked(await chainRows(org.id));
  });
});

describe("the append-only table", () => {
  it("As the app's role, UPDATE, DELETE and TRUNCATE on the audit table fail", async () => {
    const org = await orgWithEvents(3);
    const before = await chainRows(org.id);
    const db = operatorDb();
    const [role] = await db.execute<{ current_user: string }>(sql`select current_user`);
    expect(role!.current_user).toBe("countersign_app");

    for (const table of ["audit_events", "audit_checkpoints"]) {
      const attempts = {
        UPDATE: sql`update ${sql.identifier(table)} set seq = seq where org_id = ${org.id}`,
        DELETE: sql`delete from ${sql.identifier(table)} where org_id = ${org.id}`,
        TRUNCATE: sql`truncate ${sql.identifier(table)}`,
      };
      for (const [verb, statement] of Object.entries(attempts)) {
        const error = await db.execute(statement).then(
          () => null,
          (e: unknown) => e as { cause?: { code?: string; message?: string } },
        );
        expect(error, `${verb} on ${table}`).not.toBeNull();
        expect(error!.cause?.code).toBe("42501");
        expect(error!.cause?.message).toMatch(/permission denied/);
      }
    }
    // It may still append (through the commands) and read.
    await makeBranch(org.operator, "Still appending");
    expect(await chainRows(org.id)).toHaveLength(before.length + 1);
  });

  it("even the owner's UPDATE, DELETE and TRUNCATE are refused by the triggers", async () => {
    const org = await orgWithEvents(3);
    await checkpointMovedChains(operatorDb()); // so the org has a checkpoint row for the row triggers to refuse
    const before = await chainRows(org.id);
    const [who] = await owner`select rolsuper from pg_roles where rolname = current_user`;
    expect(who!.rolsuper).toBe(true);
    for (const table of ["audit_events", "audit_checkpoints"]) {
      await expect(owner`update ${owner(table)} set seq = seq + 0 where org_id = ${org.id}`).rejects.toThrow(/append-only: UPDATE/);
      await expect(owner`delete from ${owner(table)} where org_id = ${org.id}`).rejects.toThrow(/append-only: DELETE/);
      await expect(owner`truncate ${owner(table)}`).rejects.toThrow(/append-only: TRUNCATE/);
    }
    expect(await chainRows(org.id)).toEqual(before);
  });
});

describe("verification after tampering", () => {
  it("Changing or deleting one entry makes verification fail at exactly that entry: a changed field", async () => {
    const changes = [
      { column: "metadata", seq: 3, apply: (tx: postgres.TransactionSql, orgId: string) => tx`update audit_events set metadata = ${tx.json({ after: { name: "Forged" } })} where org_id = ${orgId} and seq = 3` },
      { column: "actor_label", seq: 5, apply: (tx: postgres.TransactionSql, orgId: string) => tx`update audit_events set actor_label = 'someone-else' where org_id = ${orgId} and seq = 5` },
      { column: "occurred_at", seq: 1, apply: (tx: postgres.TransactionSql, orgId: string) => tx`update audit_events set occurred_at = occurred_at - interval '1 day' where org_id = ${orgId} and seq = 1` },
      { column: "outcome", seq: 6, apply: (tx: postgres.TransactionSql, orgId: string) => tx`update audit_events set outcome = 'denied' where org_id = ${orgId} and seq = 6` },
    ];
    for (const change of changes) {
      const org = await orgWithEvents(6);
      await tamper((tx) => change.apply(tx, org.id));
      const report = await verifyChain(operatorDb(), org.id);
      expect(report, change.column).toMatchObject({ intact: false, firstBrokenSeq: change.seq, problem: `event ${change.seq} was changed after it was written` });
    }
  });

  it("Changing or deleting one entry makes verification fail at exactly that entry: a deleted middle entry", async () => {
    const org = await orgWithEvents(6);
    await tamper((tx) => tx`delete from audit_events where org_id = ${org.id} and seq = 4`);
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: false, firstBrokenSeq: 4, problem: "event 4 is missing (deleted)" });
  });

  it("Changing or deleting one entry makes verification fail at exactly that entry: deleted last entries under a checkpoint", async () => {
    const org = await withCheckpointEvery(5, () => orgWithEvents(7));
    const checkpoints = await owner`select seq::int as seq from audit_checkpoints where org_id = ${org.id} order by seq`;
    expect(checkpoints.map((c) => c.seq)).toEqual([5]);

    // Beyond the last checkpoint a truncated tail still looks like a shorter, intact chain: that
    // window is what AUDIT_CHECKPOINT_MINUTES and `audit checkpoint` keep short.
    await tamper((tx) => tx`delete from audit_events where org_id = ${org.id} and seq = 7`);
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: true, events: 6 });

    // Under a signed checkpoint it is caught, at the first missing event.
    await tamper((tx) => tx`delete from audit_events where org_id = ${org.id} and seq >= 5`);
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: false, events: 4, firstBrokenSeq: 5, problem: "events 5 to 5 are missing: a signed checkpoint covers event 5" });
  });

  it("Changing or deleting one entry makes verification fail at exactly that entry: a consistent rewrite is caught by the signed checkpoint", async () => {
    const org = await withCheckpointEvery(5, () => orgWithEvents(12));
    // Change event 7 and recompute every hash after it, so the chain links up again.
    const rows = await chainRows(org.id);
    rows[6]!.actor_label = "someone-else";
    await tamper(async (tx) => {
      await tx`update audit_events set actor_label = ${rows[6]!.actor_label} where org_id = ${org.id} and seq = 7`;
      let prev = rows[5]!.hash;
      for (const row of rows.slice(6)) {
        const hash = rehash(row, prev);
        await tx`update audit_events set prev_hash = ${prev}, hash = ${hash} where org_id = ${org.id} and seq = ${row.seq}`;
        prev = hash;
      }
    });
    expectLinked(await chainRows(org.id));
    // The hashes agree, but the head signed at event 10 no longer matches: the stretch after the
    // last good checkpoint (5) is reported.
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: false, firstBrokenSeq: 6, problem: "events 6 to 10 were rewritten: they no longer match the signed checkpoint at event 10" });
  });

  it("an inserted entry is caught where it was slipped in", async () => {
    const org = await orgWithEvents(5);
    const rows = await chainRows(org.id);
    // Shift events 3..5 up by one and slip a forged event in at 3, hashed correctly against event 2.
    await tamper(async (tx) => {
      await tx`update audit_events set seq = seq + 100 where org_id = ${org.id} and seq >= 3`;
      await tx`update audit_events set seq = seq - 99 where org_id = ${org.id} and seq >= 103`;
      const metadata = { after: { name: "Forged" } };
      const [text] = await tx`select ${tx.json(metadata)}::jsonb::text as t`;
      const forged = { ...rows[2]!, seq: 3, actor_label: "forger", metadata, metadata_text: text!.t as string };
      const hash = rehash(forged, rows[1]!.hash);
      await tx`insert into audit_events (hash_version, org_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, branch_id, outcome, ip, user_agent, request_id, metadata, prev_hash, hash)
               values (2, ${org.id}, 3, ${forged.occurred_at}, ${forged.actor_type}, ${forged.actor_id}, ${forged.actor_label}, ${forged.action}, ${forged.target_type}, ${forged.target_id}, ${forged.target_label},
                       ${forged.branch_id}, ${forged.outcome}, ${forged.ip}, ${forged.user_agent}, ${forged.request_id}, ${tx.json(forged.metadata as postgres.JSONValue)}, ${rows[1]!.hash}, ${hash})`;
    });
    // The forged event itself verifies; the original event 3, now at 4, no longer links to it.
    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: false, firstBrokenSeq: 4 });
  });
});

describe("signed checkpoints", () => {
  it("every AUDIT_CHECKPOINT_EVERY events a checkpoint is signed; checkpointMovedChains signs the moved heads once", async () => {
    const key = publicKeyPem();
    expect(key, "the test setup provides a signing key").not.toBeNull();
    const org = await withCheckpointEvery(5, () => orgWithEvents(12));
    const rows = await chainRows(org.id);
    type Row = { seq: number; hash: string; heads: Array<[number, string]>; signed_at: string; key_id: string; signature: string };
    const readCheckpoints = () => owner<Row[]>`
      select seq::int as seq, hash, heads, to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at, key_id, signature
      from audit_checkpoints where org_id = ${org.id} order by seq`;

    const publicKey = createPublicKey(key!.pem);
    const expectSigned = (c: Row) => {
      // One writer: every event is in shard 0, so the checkpoint's heads are its head and 15 empty shards.
      expect(c.heads).toEqual(Array.from({ length: 16 }, (_, shard) => (shard === 0 ? [c.seq, rows[c.seq - 1]!.hash] : [0, GENESIS_HASH])));
      expect(c.hash).toBe(merkleRoot(c.heads));
      expect(c.key_id).toBe(key!.keyId);
      const message = checkpointMessage({ orgId: org.id, seq: c.seq, hash: c.hash, signedAt: new Date(c.signed_at), version: 2 });
      expect(verify(null, Buffer.from(message), publicKey, Buffer.from(c.signature, "base64")), `signature at ${c.seq}`).toBe(true);
      // The signature covers the head: another hash does not verify.
      const forged = checkpointMessage({ orgId: org.id, seq: c.seq, hash: rows[0]!.hash, signedAt: new Date(c.signed_at), version: 2 });
      expect(verify(null, Buffer.from(forged), publicKey, Buffer.from(c.signature, "base64"))).toBe(false);
    };

    const appended = await readCheckpoints();
    expect(appended.map((c) => c.seq)).toEqual([5, 10]);
    appended.forEach(expectSigned);

    expect(await checkpointMovedChains(operatorDb())).toBeGreaterThanOrEqual(1);
    const afterSweep = await readCheckpoints();
    expect(afterSweep.map((c) => c.seq)).toEqual([5, 10, 12]);
    afterSweep.forEach(expectSigned);
    expect(await checkpointMovedChains(operatorDb())).toBe(0);
    expect(await readCheckpoints()).toHaveLength(3);

    expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: true, events: 12, checkpoints: { total: 3, verified: 3, signaturesChecked: true } });
  });
});
