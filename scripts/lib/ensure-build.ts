import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCES = ["app", "components", "lib", "db", "public", "proxy.ts", "instrumentation-client.ts", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];

/** A fingerprint of everything `next build` reads: sizes and mtimes, cheap enough for every start. */
function fingerprint(dir: string): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(`${path.relative(dir, p)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  for (const s of SOURCES) walk(path.join(dir, s));
  return hash.digest("hex");
}

/** Runs `next build` when there is no build or the sources changed since the last one. */
export function ensureBuild(dir: string, log: (line: string) => void): void {
  const stamp = path.join(dir, ".next", "countersign-build-stamp");
  const current = fingerprint(dir);
  if (existsSync(path.join(dir, ".next", "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === current) return;
  log("Building the app (first start, or the sources changed); this takes a minute or two...");
  const nextBin = path.join(dir, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: dir, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed; see the output above.");
  writeFileSync(stamp, current);
}
