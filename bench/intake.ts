/**
 * Order intake benchmark (issue 14). Sections, each in its own file under bench/intake/:
 *   1. accepted payloads per second, durable, beside a bare INSERT of the same bytes (accept.ts);
 *   2. orders per second end to end for JSON and X12, beside the parser alone (process.ts, run as
 *      its own process: it makes its own database and pg-boss workers); its JSON line is folded in;
 *   3. a 100,000-order burst (burst.ts, its own process too; --quick: 3,000): time to drain, peak
 *      depth and lag, zero lost and zero duplicated.
 * Uses DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432/test; creates and finally
 * drops cs_bench_intake. Prints a table per section, then one JSON line of all figures, last.
 *
 * Run: npx tsx bench/intake.ts [--quick] [--payloads N] [--concurrency N]
 *   default: 20,000 payloads at 16 and at 256 in flight (--quick: 2,000); pool of 16 connections.
 */
import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { createSupplierCommand } from "@/lib/accounts/create-supplier";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { generateMfaEncryptionKey } from "@/lib/mfa/secret-box";
import { benchAccept, printAccept } from "./intake/accept";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, payloads: { type: "string" }, concurrency: { type: "string" } } });
const quick = values.quick;
const PAYLOADS = Number(values.payloads ?? (quick ? 2_000 : 20_000));
// A handful of senders, and a spike of many at once (where payloads share transactions: ADR 0026).
const CONCURRENCY = values.concurrency ? [Number(values.concurrency)] : [16, 256];
const BENCH_DB = "cs_bench_intake";
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${BENCH_DB}` }).toString();

export interface SectionContext {
  supplier: Principal;
  quick: boolean;
}
type Section = (ctx: SectionContext) => Promise<Record<string, unknown>>;

const sections: Array<[string, Section]> = [
  [
    "accept",
    async ({ supplier }) => {
      const runs = [];
      for (const concurrency of CONCURRENCY) {
        const figures = await benchAccept(supplier, { payloads: PAYLOADS, concurrency, ownerUrl: benchUrl });
        printAccept(figures);
        runs.push(figures);
      }
      return { runs };
    },
  ],
  ["process", ({ quick: q }) => runOwnProcess("bench/intake/process.ts", q)],
  ["burst", ({ quick: q }) => runOwnProcess("bench/intake/burst.ts", q)],
];

/** A section that makes its own database and workers: run it as its own process, fold in its JSON line. */
async function runOwnProcess(script: string, q: boolean): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, ...(q ? ["--quick"] : [])], { env: process.env, maxBuffer: 16 * 1024 * 1024 });
  const lines = stdout.trimEnd().split("\n");
  console.log(lines.slice(0, -1).join("\n"));
  return JSON.parse(lines.at(-1)!) as Record<string, unknown>;
}

async function admin<T>(fn: (s: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function main() {
  process.env.MFA_ENCRYPTION_KEY ??= generateMfaEncryptionKey();
  process.env.DATABASE_POOL_SIZE ??= "16";
  const loadAtStart = loadavg()[0]!.toFixed(1);
  await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  await admin((s) => s.unsafe(`create database ${BENCH_DB}`));
  const results: Record<string, unknown> = {};
  try {
    await migrateDatabase(benchUrl);
    process.env.DATABASE_URL = benchUrl;
    const org = await runCommand(createSupplierCommand, systemPrincipal("bench"), systemMeta("bench"), { name: "Bench Supply", slug: "bench-supply" });
    const supplier = systemPrincipal("bench", org);
    for (const [name, run] of sections) results[name] = await run({ supplier, quick });
  } finally {
    await closeDb();
    await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  }
  console.log(`\n(load ${loadAtStart} at start, ${loadavg()[0]!.toFixed(1)} at end)`);
  console.log(JSON.stringify({ bench: "intake", quick, ...results }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
