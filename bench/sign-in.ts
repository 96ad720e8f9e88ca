/**
 * What secure sign-in costs on this machine, in one run:
 *   1. sign-ins per second through the real command (throttle check, argon2id verify, session
 *      insert, audit append) at our argon2id parameters, with 1 and 2 concurrent sign-ins (the
 *      machine has 2 cores), side by side with the bare hash verification of argon2id and of
 *      Node's scrypt (N=2^17, r=8, p=1: OWASP's scrypt profile) — the peer algorithm the
 *      checklist allows;
 *   2. the per-request session check (resolveSession: one indexed lookup with the idle and
 *      absolute timeouts) against the same round trip doing nothing (`select 1`): p50 and p99,
 *      and the difference, which is what every request pays.
 * Run: npx tsx bench/sign-in.ts [--quick] [--signins 60] [--lookups 3000]. --quick: 30 sign-ins and
 * 1000 lookups. Uses DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432/test; creates
 * and finally drops its own cs_bench_signin_<pid>. The last line is one JSON object with the figures.
 * Timings are noisy on a shared 2-core machine: compare the ratios within one run.
 */
import { randomBytes, scrypt as scryptCb } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { verify } from "@node-rs/argon2";
import { closeDb, getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { noAccess } from "@/lib/access/access";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { ARGON2_OPTIONS, hashPassword } from "@/lib/identity/passwords";
import { resolveSession } from "@/lib/identity/resolve-session";
import { signInCommand } from "@/lib/identity/sign-in";
import { createOrgCommand } from "@/lib/orgs/create-org";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, signins: { type: "string" }, lookups: { type: "string" } } });
const quick = values.quick;
const SIGNINS = Number(values.signins ?? (quick ? 30 : 60));
const LOOKUPS = Number(values.lookups ?? (quick ? 1000 : 3000));
// Its own database per run, so two runs never collide.
const BENCH_DB = `cs_bench_signin_${process.pid}`;
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${BENCH_DB}` }).toString();
const PASSWORD = "correct horse battery staple";
const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const log = (line: string) => process.stderr.write(`${line}\n`);
const anonymous: Principal = { actor: { type: "anonymous", label: "anonymous" }, org: null, membershipId: null, access: noAccess };

async function admin<T>(fn: (s: postgres.Sql) => Promise<T>): Promise<T> {
  const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(client);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Runs `count` calls of `fn` with `concurrency` in flight; returns calls per second. */
async function rate(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
  return count / ((performance.now() - started) / 1000);
}

async function latencies(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main() {
  await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  await admin((s) => s.unsafe(`create database ${BENCH_DB}`));
  try {
    await migrateDatabase(benchUrl);
    process.env.DATABASE_URL = benchUrl;
    process.env.DATABASE_RLS_BYPASS = "0";
    const meta = systemMeta("bench");
    const org = await runCommand(createOrgCommand, systemPrincipal("bench"), meta, { name: "Bench", slug: "bench" });
    const operator = systemPrincipal("bench", { id: org.id, slug: org.slug, name: org.name });
    const branch = await runCommand(createBranchCommand, operator, meta, { name: "Depot" });
    // Enough distinct buyers that no account reaches its throttling threshold (successes clear it anyway).
    const emails: string[] = [];
    for (let i = 0; i < 8; i++) {
      const email = `buyer${i}@bench.test`;
      await runCommand(createMemberCommand, operator, meta, { email, password: PASSWORD, roleName: "Buyer", branchId: branch.id });
      emails.push(email);
    }
    const signIn = (i: number) => runCommand(signInCommand, anonymous, { ...meta, ip: `10.0.${i % 250}.${i % 7}` }, { email: emails[i % emails.length], password: PASSWORD });
    // Warm up every pooled connection (each prepares the sign-in's statements once, and the
    // first plans of the MFA rule's recursive query are the dearest), then time only warm ones:
    // 30 sign-ins over a pool of 10 otherwise pay a first plan on most connections.
    const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: poolSize }, (_, i) => signIn(round * poolSize + i)));

    const stored = await hashPassword(PASSWORD);
    const salt = randomBytes(16);
    log(`Sign-ins (${SIGNINS} each)...`);
    const rows: string[] = [];
    const ratios: Record<string, number> = {};
    for (const concurrency of [1, 2]) {
      const full = await rate(SIGNINS, concurrency, signIn);
      const argon = await rate(SIGNINS, concurrency, () => verify(stored, PASSWORD));
      const scryptRate = await rate(Math.max(10, SIGNINS / 2), concurrency, () => scrypt(PASSWORD, salt, 64, SCRYPT));
      ratios[`command_over_argon2_${concurrency}`] = Math.round((full / argon) * 100) / 100;
      ratios[`signins_per_s_${concurrency}`] = Math.round(full * 10) / 10;
      rows.push(`| ${concurrency} | ${full.toFixed(1)} | ${argon.toFixed(1)} | ${scryptRate.toFixed(1)} | ${(full / argon).toFixed(2)} | ${(argon / scryptRate).toFixed(2)} |`);
    }

    log(`Session checks (${LOOKUPS} each)...`);
    const { sessionToken } = await signIn(1);
    const db = getDb();
    await latencies(200, () => resolveSession(db, sessionToken)); // warm up
    const check = await latencies(LOOKUPS, () => resolveSession(db, sessionToken));
    const baseline = await latencies(LOOKUPS, () => db.execute(sql`select 1`));

    console.log(`\nargon2id parameters: memoryCost ${ARGON2_OPTIONS.memoryCost} KiB, timeCost ${ARGON2_OPTIONS.timeCost}, parallelism ${ARGON2_OPTIONS.parallelism}; scrypt N=2^17 r=8 p=1.`);
    console.log("\n| concurrent | sign-ins/s (command) | argon2id verify/s | scrypt verify/s | command ÷ argon2id | argon2id ÷ scrypt |");
    console.log("| --- | --- | --- | --- | --- | --- |");
    console.log(rows.join("\n"));
    console.log("\n| per request | p50 ms | p99 ms |");
    console.log("| --- | --- | --- |");
    console.log(`| resolveSession | ${pct(check, 50).toFixed(3)} | ${pct(check, 99).toFixed(3)} |`);
    console.log(`| select 1 (round trip) | ${pct(baseline, 50).toFixed(3)} | ${pct(baseline, 99).toFixed(3)} |`);
    console.log(`| added by the session check | ${(pct(check, 50) - pct(baseline, 50)).toFixed(3)} | ${(pct(check, 99) - pct(baseline, 99)).toFixed(3)} |`);
    console.log(`\n${availableParallelism()} cores; 1-minute load average ${loadavg()[0]!.toFixed(1)}.`);
    const ms = (n: number) => Math.round(n * 1000) / 1000;
    console.log(JSON.stringify({ bench: "sign-in", quick, ...ratios, session_check_added_p50_ms: ms(pct(check, 50) - pct(baseline, 50)), session_check_p50_ms: ms(pct(check, 50)) }));
  } finally {
    await closeDb();
    await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
