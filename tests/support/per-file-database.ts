import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb } from "@/db/client";
import { closeOperatorDb } from "./as-operator";
import { withDatabase } from "./global-setup";

/**
 * Each test file gets a fresh database cloned from the migrated template, so files never see
 * each other's rows and can run in parallel. The app's lazy client picks it up via DATABASE_URL.
 */
const adminUrl = inject("adminUrl");
const name = `cs_test_${randomBytes(6).toString("hex")}`;

beforeAll(async () => {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${inject("templateDb")}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  process.env.DATABASE_URL = withDatabase(adminUrl, name);
  // Every test runs as the app does, under row-level security, so a query that forgets its org
  // filter fails instead of passing on a bypass. Setup and assertions that look across orgs use
  // asOperator() (tests/support/as-operator.ts); operator commands bypass as the CLI does.
  process.env.DATABASE_RLS_BYPASS ??= "0";
  process.env.AUDIT_SIGNING_KEY_FILE ??= inject("auditKeyFile");
  process.env.MFA_ENCRYPTION_KEY ??= inject("mfaEncryptionKey");
});

afterAll(async () => {
  await closeDb();
  await closeOperatorDb();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
});
