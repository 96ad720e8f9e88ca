/**
 * Section 1 of bench/intake.ts: accepted payloads per second, durable. Each request goes through
 * the real route handler of POST /api/v1/intake/channels/{id}/messages, in process (no HTTP
 * server, so the figure is the app's and PostgreSQL's, not a socket's): channel lookup, bearer
 * check, capped body read, backpressure count, then one committed transaction that stores the raw
 * bytes, sends the pg-boss job and appends the audit event. The peer, in the same run and on the
 * same server: a bare INSERT of the same bytes (id, channel, sha256, bytea) into a plain table,
 * one autocommit statement per payload, at the same concurrency. Durable on both sides means the
 * server's default synchronous_commit: a 202 is answered only after its COMMIT is flushed.
 */
import { createHash, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { getSql } from "@/db/client";
import * as acceptRoute from "@/app/api/v1/intake/channels/[id]/messages/route";
import { runCommand } from "@/lib/core/command";
import { systemMeta } from "@/lib/core/request-meta";
import type { Principal } from "@/lib/core/context";
import { createChannelCommand } from "@/lib/intake/channels/create-channel";
import { stopIntakeJobSender } from "@/lib/intake/inbox/intake-job-sender";

export interface AcceptFigures {
  payloads: number;
  concurrency: number;
  payloadBytes: number;
  acceptedPerSecond: number;
  bareInsertPerSecond: number;
  ratio: number;
  p50Ms: number;
  p95Ms: number;
}

/** A canonical JSON order of about 1 KB, unique per call (a re-send of the same bytes would be a no-op). */
function payload(i: number): string {
  const lines = Array.from({ length: 6 }, (_, n) => ({ lineNumber: String(n + 1), vendorPartNumber: `SKU-${n}`, quantity: "2", unitPrice: "9.25", description: "Hex bolt M8 x 40, zinc plated, box of 100" }));
  return JSON.stringify({ documentNumber: `PO-${i}-${randomUUID()}`, kind: "original", currency: "EUR", lines });
}

async function inParallel(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

export async function benchAccept(supplier: Principal, { payloads, concurrency, ownerUrl }: { payloads: number; concurrency: number; ownerUrl: string }): Promise<AcceptFigures> {
  const meta = systemMeta("bench");
  const channel = await runCommand(createChannelCommand, supplier, meta, { name: "Bench JSON", format: "json", maxDepth: 10_000_000 });
  const bodies = Array.from({ length: payloads * 2 + 200 }, (_, i) => payload(i));
  const accept = async (body: string) => {
    const request = new Request(channel.url.replace(/^https?:\/\/[^/]+/, "http://localhost"), { method: "POST", headers: { authorization: `Bearer ${channel.token}`, "content-type": "application/json" }, body });
    const response = await acceptRoute.POST(request, { params: Promise.resolve({ id: channel.id }) });
    if (response.status !== 202) throw new Error(`acceptance answered ${response.status}: ${await response.text()}`);
  };
  // Warm-up: the pool, the prepared statements, pg-boss's queue cache.
  for (let i = 0; i < 100; i++) await accept(bodies[payloads * 2 + i]!);

  // The peer's table is made by the owner; its INSERTs then run on the app's own pool, as the app role.
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  await owner.unsafe("create table bench_bare_inbox (id uuid primary key, channel_id uuid not null, raw_sha256 text not null, raw bytea not null, received_at timestamptz not null default now())");
  await owner.unsafe("grant insert, select on bench_bare_inbox to countersign_app");
  const sql = getSql();
  const bare = async (body: string) => {
    const bytes = Buffer.from(body);
    await sql`insert into bench_bare_inbox (id, channel_id, raw_sha256, raw) values (${randomUUID()}, ${channel.id}, ${createHash("sha256").update(bytes).digest("hex")}, ${bytes})`;
  };
  for (let i = 0; i < 100; i++) await bare(bodies[payloads * 2 + 100 + i]!);

  // Alternate halves so drift on a shared machine hits both sides.
  const half = Math.floor(payloads / 2);
  const timed = async (fn: (body: string) => Promise<void>, offset: number, n: number) => {
    const start = performance.now();
    const latencies = await inParallel(n, concurrency, (i) => fn(bodies[offset + i]!));
    return { seconds: (performance.now() - start) / 1000, latencies };
  };
  const a1 = await timed(accept, 0, half);
  const b1 = await timed(bare, payloads, half);
  const a2 = await timed(accept, half, payloads - half);
  const b2 = await timed(bare, payloads + half, payloads - half);
  const latencies = [...a1.latencies, ...a2.latencies].sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  const acceptedPerSecond = payloads / (a1.seconds + a2.seconds);
  const bareInsertPerSecond = payloads / (b1.seconds + b2.seconds);
  await owner.unsafe("drop table bench_bare_inbox");
  await owner.end({ timeout: 5 });
  await stopIntakeJobSender();
  return { payloads, concurrency, payloadBytes: Buffer.byteLength(bodies[0]!), acceptedPerSecond, bareInsertPerSecond, ratio: acceptedPerSecond / bareInsertPerSecond, p50Ms: pct(50), p95Ms: pct(95) };
}

export function printAccept(f: AcceptFigures): void {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  console.log(`\nIntake acceptance, durable: ${f.payloads} payloads of ${f.payloadBytes} bytes, ${f.concurrency} in flight\n`);
  console.log("| what | payloads/s | p50 ms | p95 ms |");
  console.log("| --- | ---: | ---: | ---: |");
  console.log(`| accepted (route handler: checks + inbox row + pg-boss job + audit, committed) | ${n(f.acceptedPerSecond)} | ${f.p50Ms.toFixed(1)} | ${f.p95Ms.toFixed(1)} |`);
  console.log(`| bare INSERT of the same bytes (peer) | ${n(f.bareInsertPerSecond)} | – | – |`);
  console.log(`\nAccepted ÷ bare INSERT: ${f.ratio.toFixed(2)} (target: ≥ 2,000 accepted/s)`);
}
