/**
 * `npm test`: typecheck, lint, generated-docs check, unit/integration tests on real PostgreSQL,
 * then the browser tests against `npm start` on a temporary data dir. Stops at the first failure.
 */
import "./lib/require-node-24";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

const reports = path.resolve(".test-data/reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (name: string) => path.resolve("node_modules/.bin", name);
const only = process.argv.slice(2);

const steps: Array<{ name: string; cmd: string; args: string[]; env?: Record<string, string> }> = [
  { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit"] },
  { name: "lint", cmd: bin("eslint"), args: ["--max-warnings=0", "."] },
  { name: "unit+integration", cmd: bin("vitest"), args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${reports}/vitest.json`] },
  // The browser tests always run on their own embedded database, whatever DATABASE_URL says.
  { name: "e2e", cmd: bin("playwright"), args: ["test", "--reporter=list,json"], env: { PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/playwright.json`, DATABASE_URL: "" } },
];

const started = performance.now();
const timings: string[] = [];
for (const step of steps) {
  if (only.length && !only.includes(step.name)) continue;
  console.log(`\n=== ${step.name} ===`);
  const t = performance.now();
  const result = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
  timings.push(`${step.name} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (result.status !== 0) {
    console.error(`\n${step.name} failed (exit ${result.status ?? result.signal}).`);
    printTotals();
    process.exit(result.status || 1);
  }
}
printTotals();

/** One closing line with the real test counts of both runners. */
function printTotals() {
  let passed = 0;
  let failed = 0;
  const vitest = readJson(`${reports}/vitest.json`) as { numPassedTests?: number; numFailedTests?: number } | null;
  if (vitest) {
    passed += vitest.numPassedTests ?? 0;
    failed += vitest.numFailedTests ?? 0;
  }
  const pw = readJson(`${reports}/playwright.json`) as { stats?: { expected?: number; unexpected?: number; flaky?: number } } | null;
  if (pw?.stats) {
    passed += (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
    failed += pw.stats.unexpected ?? 0;
  }
  console.log(`\n${timings.join(" · ")} · total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
}

function readJson(file: string): unknown {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}
