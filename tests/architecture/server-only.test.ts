import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { listSourceFiles } from "../support/source-files";

// The modules that hold the database, the command wrapper and the keys. Next's build fails when a
// client bundle imports one of them (`import "server-only"`); this test says the same before any
// build, and names the chain of imports that would drag one into a browser.
const MARKED = ["db/client.ts", "lib/core/command.ts", "lib/mfa/secret-box.ts", "lib/audit/signing-key.ts"];

const files = new Map(listSourceFiles().map((f) => [f.file, f.text]));

/** Value imports (not `import type`, whose bindings are erased) resolved to source files. */
function valueImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    const base = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.join(path.dirname(file), spec) : null;
    if (!base) continue;
    const found = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].map((p) => p.split(path.sep).join("/")).find((p) => files.has(p) && existsSync(p));
    if (found) out.push(found);
  }
  return out;
}

/** The import chain from `start` to a marked module, or null. */
function chainToMarked(start: string): string[] | null {
  const seen = new Set<string>();
  const walk = (file: string, trail: string[]): string[] | null => {
    if (MARKED.includes(file)) return [...trail, file];
    if (seen.has(file)) return null;
    seen.add(file);
    // A client module may import server actions: Next sends it references to them, not their code.
    if (trail.length > 0 && /^\s*["']use server["'];?/m.test(files.get(file) ?? "")) return null;
    for (const next of valueImports(file, files.get(file) ?? "")) {
      const found = walk(next, [...trail, file]);
      if (found) return found;
    }
    return null;
  };
  return walk(start, []);
}

describe("server-only modules", () => {
  it("the database client, the command wrapper and the key modules are marked server-only", () => {
    for (const file of MARKED) expect(files.get(file), file).toMatch(/^import "server-only";$/m);
  });

  it("no client component reaches a server-only module through its imports", () => {
    const clientFiles = [...files].filter(([, text]) => /^\s*["']use client["'];?/m.test(text)).map(([file]) => file);
    expect(clientFiles.length).toBeGreaterThan(10);
    const offenders = clientFiles.map((file) => chainToMarked(file)).filter((chain): chain is string[] => chain !== null);
    expect(offenders.map((chain) => chain.join(" -> "))).toEqual([]);
  });

  it("the walk finds a chain when there is one", () => {
    expect(chainToMarked("lib/core/read-as.ts")?.at(-1)).toBe("db/client.ts");
    expect(chainToMarked("lib/core/input-rules.ts")).toBeNull();
  });
});
