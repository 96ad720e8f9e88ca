import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateMfaEncryptionKey } from "@/lib/mfa/secret-box";

/**
 * The key that seals TOTP secrets at rest: MFA_ENCRYPTION_KEY or MFA_ENCRYPTION_KEY_FILE when
 * set, else a key generated into the data dir on first start and kept there. Losing it means
 * every authenticator app must be set up again, so back it up with the data dir.
 */
export function ensureMfaEncryptionKey(dataDir: string): void {
  if (process.env.MFA_ENCRYPTION_KEY || process.env.MFA_ENCRYPTION_KEY_FILE) return;
  const file = path.join(dataDir, "mfa-encryption.key");
  if (!existsSync(file)) writeFileSync(file, generateMfaEncryptionKey(), { mode: 0o600 });
  process.env.MFA_ENCRYPTION_KEY_FILE = file;
}

/**
 * For the CLI: the key the launcher keeps in this data dir, when neither variable is set. Never a
 * new one: secrets the CLI seals (SAML keys, OIDC client secrets, intake channel secrets) must
 * open in the server, and a key made here would be one the server does not have.
 */
export function adoptExistingMfaEncryptionKey(dataDir: string): void {
  if (process.env.MFA_ENCRYPTION_KEY || process.env.MFA_ENCRYPTION_KEY_FILE) return;
  const file = path.join(dataDir, "mfa-encryption.key");
  if (existsSync(file)) process.env.MFA_ENCRYPTION_KEY_FILE = file;
}
