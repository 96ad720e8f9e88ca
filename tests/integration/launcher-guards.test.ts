import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { demoSeedRefusal, isLoopbackHost } from "@/lib/demo/seed-guard";
import { withDatabase } from "../support/global-setup";

/**
 * Item 11: the demo's admins sign in with a published password, so `npm start` loads them only
 * for a server bound to loopback; and links printed to the log are the demo's affordance, which
 * production (`npm start` runs Next with NODE_ENV=production) gets only with MAIL_LOG_LINKS=1.
 */
const root = path.resolve(".test-data/launcher");
mkdirSync(root, { recursive: true, mode: 0o755 });
const made: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(path.join(root, "guard-"));
  made.push(dir);
  return dir;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runStart(env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const key of ["SMTP_URL", "MAIL_LOG_LINKS", "SEED_DEMO", "NODE_ENV"]) if (!(key in env)) delete childEnv[key];
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: childEnv, encoding: "utf8", timeout: 90_000 });
}
const errorLines = (stderr: string) => stderr.trim().split("\n").filter((l) => l && !l.includes("npm warn"));

describe("Demo admins with the documented password are seeded only when bound to loopback", () => {
  it("loopback is localhost, ::1 and 127.0.0.0/8; 0.0.0.0, :: and real addresses are not", () => {
    for (const host of ["127.0.0.1", "127.8.9.10", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "[::]", "192.168.1.20", "10.0.0.1", "128.0.0.1", "example.com", "localhost.example.com", "", "127.0.0.1.example.com"]) expect(isLoopbackHost(host), host).toBe(false);
    expect(demoSeedRefusal("127.0.0.1", undefined)).toBeNull();
  });

  it("with SEED_DEMO=1 and HOST=0.0.0.0, npm start refuses before seeding, in one line naming HOST and why, and loads nothing", async () => {
    const admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => {} });
    const name = `cs_guard_${Date.now()}`;
    await admin.unsafe(`create database "${name}"`);
    try {
      const url = withDatabase(inject("adminUrl"), name);
      const result = runStart({ DATABASE_URL: url, SEED_DEMO: "1", HOST: "0.0.0.0", PORT: "0", DATA_DIR: tempDataDir() });
      expect(result.status).toBe(1);
      const lines = errorLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        "Countersign could not start: HOST=0.0.0.0 is not a loopback address, so the demo data is not loaded: its admins sign in with the published password acme-demo-2026. Bind to 127.0.0.1 (the default) for the demo, or unset SEED_DEMO.",
      );
      const db = postgres(url, { max: 1, onnotice: () => {} });
      expect(await db`select count(*)::int as n from organizations`).toEqual([{ n: 0 }]);
      await db.end();
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  }, 120_000);

  it("the embedded database on a non-loopback HOST refuses the same way, and warns first that mail has nowhere to go", () => {
    const dataDir = tempDataDir();
    const result = runStart({ DATABASE_URL: "", HOST: "192.0.2.10", PORT: "0", DATA_DIR: dataDir });
    expect(result.status).toBe(1);
    const lines = errorLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Countersign could not start: HOST=192\.0\.2\.10 is not a loopback address, so the demo data is not loaded: .* or set SEED_DEMO=0 to start without demo data\.$/);
    expect(result.stdout).toContain("Warning: Mail is not configured: SMTP_URL is unset, and in production links are not printed to the log. Set SMTP_URL, or MAIL_LOG_LINKS=1 to print links to the log.");
    expect(readdirSync(dataDir)).not.toContain("outbox");
  }, 120_000);
});
