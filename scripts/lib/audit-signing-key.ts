import { generateKeyPairSync } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The Ed25519 key that signs audit checkpoints: AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE when
 * set, else a key generated into the data dir on first start and kept there.
 */
export function ensureAuditSigningKey(dataDir: string): void {
  if (process.env.AUDIT_SIGNING_KEY || process.env.AUDIT_SIGNING_KEY_FILE) return;
  const file = path.join(dataDir, "audit-signing-key.pem");
  if (!existsSync(file)) writeAuditSigningKey(file);
  process.env.AUDIT_SIGNING_KEY_FILE = file;
}

export function writeAuditSigningKey(file: string): void {
  const { privateKey } = generateKeyPairSync("ed25519");
  writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
}
