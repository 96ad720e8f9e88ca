import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "@/db/migrate";
import { readMigrationStatus } from "@/db/migration-status";
import { drizzle } from "drizzle-orm/postgres-js";
import { startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { acquireInstanceLock, DataDirInUseError } from "@/scripts/lib/instance-lock";
import { withDatabase } from "../support/global-setup";

// Temporary data dirs live under .test-data: PostgreSQL runs as the "postgres" user and must be
// able to reach them, which a private /tmp folder would not allow.
const root = path.resolve(".test-data/launcher");
mkdirSync(root, { recursive: true, mode: 0o755 });
const made: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(path.join(root, "dd-"));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runStart(env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
}

describe("the launcher", () => {
  it("a second instance on the same data dir refuses in one line and exits non-zero", () => {
    const dataDir = tempDataDir();
    const release = acquireInstanceLock(dataDir);
    try {
      expect(() => acquireInstanceLock(dataDir)).toThrow(DataDirInUseError);
      const second = runStart({ DATA_DIR: dataDir, DATABASE_URL: "", PORT: "0" });
      expect(second.status).not.toBe(0);
      const lines = second.stderr.trim().split("\n").filter((l) => !l.includes("npm warn"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/in use by another Countersign process \(pid \d+\)/);
    } finally {
      release();
    }
  });

  it("a lock left by a dead process is taken over", () => {
    const dataDir = tempDataDir();
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(path.join(dataDir, "countersign.lock"), dead.stdout);
    const release = acquireInstanceLock(dataDir);
    release();
  });

  it("an unreachable DATABASE_URL gives one clear line naming the variable and exits non-zero", () => {
    const result = runStart({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/countersign", PORT: "0", DATA_DIR: tempDataDir() });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n").filter((l) => !l.includes("npm warn"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: cannot reach PostgreSQL at 127\.0\.0\.1:1\/countersign/);
  });

  it("embedded data survives a restart", async () => {
    const dataDir = tempDataDir();
    const first = await startEmbeddedPostgres(dataDir, () => {}, "test");
    const a = postgres(first.url, { max: 1, onnotice: () => {} });
    await a`create table kept (v text)`;
    await a`insert into kept values ('still here')`;
    await a.end();
    await first.stop();

    const second = await startEmbeddedPostgres(dataDir, () => {}, "test");
    const b = postgres(second.url, { max: 1, onnotice: () => {} });
    expect(await b`select v from kept`).toEqual([{ v: "still here" }]);
    await b.end();
    await second.stop();
  });

  it("two instances migrating the same empty database at once both succeed (advisory lock)", async () => {
    const admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
    const name = `cs_race_${Date.now()}`;
    await admin.unsafe(`create database "${name}"`);
    try {
      const url = withDatabase(inject("adminUrl"), name);
      await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
      const client = postgres(url, { max: 1, onnotice: () => {} });
      expect((await readMigrationStatus(drizzle(client))).current).toBe(true);
      await client.end();
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
