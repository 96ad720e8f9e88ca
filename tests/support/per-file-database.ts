import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb } from "@/db/client";
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
  // Tests of query logic act as the operator, across orgs; a test file that proves the
  // row-level-security wall sets DATABASE_RLS_BYPASS = "0" before this runs.
  process.env.DATABASE_RLS_BYPASS ??= "1";
  process.env.AUDIT_SIGNING_KEY_FILE ??= inject("auditKeyFile");
  process.env.MFA_ENCRYPTION_KEY ??= inject("mfaEncryptionKey");
});

afterAll(async () => {
  await closeDb();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
});
