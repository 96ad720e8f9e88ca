import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adoptExistingMfaEncryptionKey } from "@/scripts/lib/mfa-encryption-key";

// The CLI seals SAML keys and channel secrets with the launcher's key; it must never make its own.
describe("the CLI's encryption key (adoptExistingMfaEncryptionKey)", () => {
  let dir: string;
  const saved = { key: process.env.MFA_ENCRYPTION_KEY, file: process.env.MFA_ENCRYPTION_KEY_FILE };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "cs-key-"));
    delete process.env.MFA_ENCRYPTION_KEY;
    delete process.env.MFA_ENCRYPTION_KEY_FILE;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [name, value] of [["MFA_ENCRYPTION_KEY", saved.key], ["MFA_ENCRYPTION_KEY_FILE", saved.file]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("uses the key file the launcher left in the data dir", () => {
    writeFileSync(path.join(dir, "mfa-encryption.key"), "k");
    adoptExistingMfaEncryptionKey(dir);
    expect(process.env.MFA_ENCRYPTION_KEY_FILE).toBe(path.join(dir, "mfa-encryption.key"));
  });

  it("makes no key when the data dir has none", () => {
    adoptExistingMfaEncryptionKey(dir);
    expect(process.env.MFA_ENCRYPTION_KEY_FILE).toBeUndefined();
    expect(existsSync(path.join(dir, "mfa-encryption.key"))).toBe(false);
  });

  it("leaves a key given by the environment alone", () => {
    writeFileSync(path.join(dir, "mfa-encryption.key"), "k");
    process.env.MFA_ENCRYPTION_KEY = "from-env";
    adoptExistingMfaEncryptionKey(dir);
    expect(process.env.MFA_ENCRYPTION_KEY_FILE).toBeUndefined();
  });
});
