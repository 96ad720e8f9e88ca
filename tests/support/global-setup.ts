import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "@/db/migrate";
import { startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { acquireInstanceLock } from "@/scripts/lib/instance-lock";
import { writeAuditSigningKey } from "@/scripts/lib/audit-signing-key";
import { generateMfaEncryptionKey } from "@/lib/mfa/secret-box";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    auditKeyFile: string;
    mfaEncryptionKey: string;
  }
}

/**
 * Real PostgreSQL for the whole run: DATABASE_URL's server when set (CI's production-like run),
 * otherwise an embedded one in .test-data/. One migrated template database; each test file
 * clones it (tests/support/per-file-database.ts).
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dataDir = path.resolve(process.env.TEST_DATA_DIR ?? ".test-data");
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    const release = acquireInstanceLock(dataDir);
    const db = await startEmbeddedPostgres(dataDir, () => {}, "test");
    adminUrl = db.url;
    stop = async () => {
      await db.stop();
      release();
    };
  }
  const templateDb = `cs_tpl_${process.pid}_${Date.now()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${templateDb}"`);
  await migrateDatabase(withDatabase(adminUrl, templateDb));
  project.provide("adminUrl", adminUrl);
  project.provide("templateDb", templateDb);
  const auditKeyFile = path.resolve(process.env.TEST_DATA_DIR ?? ".test-data", "audit-signing-key.pem");
  mkdirSync(path.dirname(auditKeyFile), { recursive: true });
  writeAuditSigningKey(auditKeyFile);
  project.provide("auditKeyFile", auditKeyFile);
  project.provide("mfaEncryptionKey", generateMfaEncryptionKey());
  return async () => {
    await admin.unsafe(`drop database if exists "${templateDb}" with (force)`).catch(() => {});
    await admin.end({ timeout: 5 });
    await stop();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
