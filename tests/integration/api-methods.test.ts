import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { apiRoutes, HTTP_METHODS } from "@/lib/http/api-routes";
import { proxy } from "@/proxy";

/**
 * Every route under app/api answers a method it does not serve with 405, an `Allow` header
 * naming what it does serve, and a problem+json body, and an /api path no route serves with a
 * problem+json 404. proxy.ts answers both from the table in lib/http/api-routes.ts; this test
 * reads the route files' exports, so the table cannot drift from them.
 */
const CHECKLIST = "Errors are clear and say which field and why. Internals are never leaked";

function routeFiles(): Array<{ file: string; path: string; methods: string[] }> {
  const out: Array<{ file: string; path: string; methods: string[] }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const file = full.split(path.sep).join("/");
        const text = readFileSync(full, "utf8");
        const methods = new Set<string>();
        for (const m of text.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+([A-Z]+)\b/g)) methods.add(m[1]!);
        for (const m of text.matchAll(/export\s+const\s+\{([^}]*)\}/g)) for (const name of m[1]!.split(",")) methods.add(name.trim());
        out.push({ file, path: file.replace(/^app/, "").replace(/\/route\.ts$/, ""), methods: [...methods].filter((m) => (HTTP_METHODS as readonly string[]).includes(m)).sort() });
      }
    }
  };
  walk("app/api");
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

const samplePath = (pattern: string) => pattern.replace(/\[\.\.\.\w+\]/g, "session").replace(/\[\w+\]/g, "6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10");
const ask = (pathname: string, method: string) => proxy(new NextRequest(`http://127.0.0.1${pathname}`, { method }));

describe(`${CHECKLIST}: a method a route does not serve is a problem+json 405 with Allow`, () => {
  it("the table in lib/http/api-routes.ts lists exactly the route files under app/api and the methods they export", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThanOrEqual(14);
    expect(apiRoutes.map((r) => ({ path: r.path, methods: [...r.methods].sort() }))).toEqual(files.map((f) => ({ path: f.path, methods: f.methods })));
  });

  for (const route of routeFiles()) {
    it(`${route.path}: every HTTP method`, async () => {
      const served = new Set([...route.methods, "OPTIONS", ...(route.methods.includes("GET") ? ["HEAD"] : [])]);
      const allow = HTTP_METHODS.filter((m) => served.has(m)).join(", ");
      for (const method of HTTP_METHODS) {
        const response = ask(samplePath(route.path), method);
        if (served.has(method)) {
          // Passed on to the route (Next marks a pass-through with x-middleware-next).
          expect(response.headers.get("x-middleware-next"), `${method} should reach the route`).toBe("1");
          continue;
        }
        expect(response.status, method).toBe(405);
        expect(response.headers.get("allow"), method).toBe(allow);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        const body = (await response.json()) as { status: number; title: string; detail: string; instance: string; requestId: string };
        expect(body).toMatchObject({ status: 405, title: "Method Not Allowed", instance: samplePath(route.path) });
        expect(body.detail).toContain(allow);
        expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  }

  it("an /api path that no route serves is a problem+json 404, not the HTML not-found page; other paths are not judged here", async () => {
    for (const pathname of ["/api", "/api/v2/orders", "/api/v1/orders/6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10/lines", "/api/v1/constructor", "/api/auth"]) {
      const response = ask(pathname, "GET");
      expect(response.status, pathname).toBe(404);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(await response.json()).toMatchObject({ status: 404, title: "Not Found" });
    }
    expect(ask("/orgs/acme/nothing", "DELETE").headers.get("x-middleware-next")).toBe("1");
    expect(ask("/apiary", "GET").headers.get("x-middleware-next")).toBe("1");
  });
});
