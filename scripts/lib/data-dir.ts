import { chmodSync, mkdirSync } from "node:fs";
import path from "node:path";

/** Where the embedded database and generated secrets live: DATA_DIR, else ./.data. */
export function resolveDataDir(): string {
  const dir = path.resolve(process.env.DATA_DIR ?? ".data");
  mkdirSync(dir, { recursive: true });
  // PostgreSQL runs as the unprivileged "postgres" user when we are root; it must reach its folder.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  return dir;
}
