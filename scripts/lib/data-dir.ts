import { mkdirSync } from "node:fs";
import path from "node:path";

/** Where the embedded database and generated secrets live: DATA_DIR, else ./.data. */
export function resolveDataDir(): string {
  const dir = path.resolve(process.env.DATA_DIR ?? ".data");
  mkdirSync(dir, { recursive: true });
  return dir;
}
