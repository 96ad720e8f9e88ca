/**
 * Time from `npm start` to the first page, on this machine, in three situations:
 *   cold:      fresh data dir and no build (first `npm start` after `npm install`)
 *   fresh-db:  fresh data dir, build present (cluster init + migrate + demo seed)
 *   warm:      existing data dir and build (an ordinary restart)
 * Run: npx tsx bench/startup.ts [--quick] [--skip-cold | --clean-build]. --quick skips the cold start
 * (the build dominates it) and measures the other two. Timings are noisy on a shared machine;
 * compare the ratios within one run. The last line is one JSON object with the figures.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

const port = 3290;
const root = path.resolve(".test-data/bench");
mkdirSync(root, { recursive: true, mode: 0o755 });
const dataDir = mkdtempSync(path.join(root, "startup-"));

async function timeStart(label: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${label}: npm start exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/sign-in`).then((r) => r.status === 200, () => false);
      if (ok) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill("SIGINT");
    await new Promise((r) => child.once("exit", r));
  }
}

const rows: Array<[string, number]> = [];
const quick = process.argv.includes("--quick");
if (!quick && !process.argv.includes("--skip-cold")) {
  // Forces `next build`; with --clean-build also drops the compiler cache, as on a fresh clone.
  rmSync(process.argv.includes("--clean-build") ? ".next" : ".next/countersign-build-stamp", { recursive: true, force: true });
  rows.push(["cold (fresh data dir, build)", await timeStart("cold")]);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { mode: 0o755 });
}
rows.push(["fresh data dir, build present", await timeStart("fresh-db")]);
rows.push(["warm restart", await timeStart("warm")]);
rmSync(dataDir, { recursive: true, force: true });

const warm = rows[rows.length - 1]![1];
console.log("\n| start | seconds to first page | × warm |\n| --- | ---: | ---: |");
for (const [label, s] of rows) console.log(`| ${label} | ${s.toFixed(1)} | ${(s / warm).toFixed(1)} |`);

const seconds = (label: string) => rows.find(([l]) => l.startsWith(label))?.[1] ?? null;
const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
console.log(
  JSON.stringify({
    bench: "startup",
    quick,
    cold_s: round(seconds("cold")),
    fresh_db_s: round(seconds("fresh data dir")),
    warm_s: round(warm),
    fresh_db_over_warm: round((seconds("fresh data dir") ?? 0) / warm),
  }),
);
