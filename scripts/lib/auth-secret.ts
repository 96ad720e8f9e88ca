import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateSecret } from "@/lib/identity/secrets";

/**
 * AUTH_SECRET keys next-auth's CSRF tokens. Several app nodes must share one, so production
 * sets it; a single node generates one into the data dir on first start and keeps it.
 */
export function ensureAuthSecret(dataDir: string): void {
  if (process.env.AUTH_SECRET) return;
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, generateSecret(32), { mode: 0o600 });
  process.env.AUTH_SECRET = readFileSync(file, "utf8").trim();
}
