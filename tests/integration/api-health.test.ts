import postgres from "postgres";
import { afterEach, describe, expect, inject, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { closeDb } from "@/db/client";
import { expectedMigrationCount } from "@/db/migration-status";
import { healthSchema } from "@/lib/http/schemas";
import packageJson from "@/package.json";
import { withDatabase } from "../support/global-setup";

async function readHealth() {
  const response = await GET();
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, body: healthSchema.strict().parse(await response.json()) };
}

/** Points the app's lazy client somewhere else for one test, then back at this file's database. */
async function withDatabaseUrl(url: string | undefined, run: () => Promise<void>) {
  const original = process.env.DATABASE_URL;
  await closeDb();
  if (url === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = url;
  try {
    await run();
  } finally {
    await closeDb();
    process.env.DATABASE_URL = original;
  }
}

describe("GET /api/health", () => {
  afterEach(async () => closeDb());

  it("answers 200 ok when the database is reachable and migrations are current", async () => {
    const { status, body } = await readHealth();
    expect(status).toBe(200);
    expect(body).toEqual({
      status: "ok",
      database: { reachable: true, migrations: { applied: expectedMigrationCount, expected: expectedMigrationCount, current: true } },
      version: packageJson.version,
      intake: { queueDepth: expect.any(Number), lagSeconds: null, deadLetters: expect.any(Number) },
    });
  });

  it("answers 503 degraded, without throwing, when DATABASE_URL is not set", async () => {
    await withDatabaseUrl(undefined, async () => {
      const { status, body } = await readHealth();
      expect(status).toBe(503);
      expect(body.database).toEqual({ reachable: false, migrations: { applied: null, expected: expectedMigrationCount, current: false } });
    });
  });

  it("answers 503 when the server refuses connections", async () => {
    await withDatabaseUrl("postgres://nobody@127.0.0.1:1/nothing", async () => {
      const { status, body } = await readHealth();
      expect(status).toBe(503);
      expect(body.database.reachable).toBe(false);
    });
  });

  it("answers 503 when the database is reachable but not migrated", async () => {
    const adminUrl = inject("adminUrl");
    const name = `cs_health_${Date.now()}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    try {
      await withDatabaseUrl(withDatabase(adminUrl, name), async () => {
        const { status, body } = await readHealth();
        expect(status).toBe(503);
        expect(body).toMatchObject({ status: "degraded", database: { reachable: true, migrations: { applied: 0, current: false } } });
      });
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    }
  });
});
