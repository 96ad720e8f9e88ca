import { createPublicKey } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ValidationError } from "@/lib/core/errors";
import { resolveDataDir } from "../lib/data-dir";
import { CliFailedError } from "./cli-errors";

/**
 * Points the audit module at the key the launcher uses, without ever making one: the variables
 * when set, else DATA_DIR/audit-signing-key.pem when the launcher has generated it. A key made
 * here would sign nothing the server signed, and `verify` must not change the data dir.
 */
export function adoptExistingAuditSigningKey(): void {
  if (process.env.AUDIT_SIGNING_KEY || process.env.AUDIT_SIGNING_KEY_FILE) return;
  const file = path.join(resolveDataDir(), "audit-signing-key.pem"); // where ensureAuditSigningKey writes it
  if (existsSync(file)) process.env.AUDIT_SIGNING_KEY_FILE = file;
}

/** --public-key <file>: an outside verifier's copy of the published key, as AUDIT_PUBLIC_KEY. */
export function applyPublicKeyFile(file: string): void {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    throw new ValidationError({ publicKey: [`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`] });
  }
  if (!isEd25519PublicKey(pem)) throw new ValidationError({ publicKey: [`${file} is not an Ed25519 public key in SPKI PEM form`] });
  process.env.AUDIT_PUBLIC_KEY = pem;
}

/**
 * Loads the verification key now, so a bad variable is one clear line naming it rather than an
 * unexpected error halfway through. Returns its key id, or null when no key is configured.
 */
export async function checkAuditKeys(): Promise<string | null> {
  const { loadVerificationKey } = await import("@/lib/audit/signing-key");
  if (process.env.AUDIT_PUBLIC_KEY && !isEd25519PublicKey(process.env.AUDIT_PUBLIC_KEY)) {
    throw new CliFailedError("AUDIT_PUBLIC_KEY is not an Ed25519 public key in SPKI PEM form.");
  }
  return loadingKey(() => loadVerificationKey()?.keyId ?? null);
}

/** The signing key's id (checkpoints need the private half), or null when none is configured. */
export async function checkAuditSigningKey(): Promise<string | null> {
  const { loadSigningKey } = await import("@/lib/audit/signing-key");
  return loadingKey(() => loadSigningKey()?.keyId ?? null);
}

function loadingKey(load: () => string | null): string | null {
  try {
    return load();
  } catch (error) {
    const variable = process.env.AUDIT_SIGNING_KEY ? "AUDIT_SIGNING_KEY" : "AUDIT_SIGNING_KEY_FILE";
    throw new CliFailedError(`${variable}: cannot load the audit signing key (${(error as Error).message.split("\n")[0]}).`, { cause: error });
  }
}

function isEd25519PublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === "ed25519";
  } catch {
    return false;
  }
}
