import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const ROOTS = ["app", "lib", "components", "db", "scripts"];

/** Every TypeScript source file of the app (not tests, not migrations), with its text. */
export function listSourceFiles(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== "migrations" && name !== "node_modules") walk(full);
      } else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
        out.push({ file: full.split(path.sep).join("/"), text: readFileSync(full, "utf8") });
      }
    }
  };
  for (const root of ROOTS) walk(root);
  return out;
}
