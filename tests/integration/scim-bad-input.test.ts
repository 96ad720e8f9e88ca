import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import * as userList from "@/app/api/scim/v2/Users/route";
import * as groupList from "@/app/api/scim/v2/Groups/route";
import { unique } from "../support/factories";
import { callScim } from "../support/scim-client";
import { oktaUser, scimWorld } from "../support/scim-world";

/**
 * The bad-input probe for SCIM (the REST probe, bad-input-probe.test.ts, leaves app/api/scim to
 * this one): every SCIM route file × every method × every bad-input class, with a SCIM token.
 * No answer is a 5xx or an unexpected error in the log; every 4xx is the SCIM Error schema in
 * application/scim+json with its status; bad input is 400 (or 404 for an id, 413 for a Bulk too
 * big), never the REST 422.
 */
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

function listScimRouteFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") out.push(full.split(path.sep).join("/"));
    }
  };
  walk("app/api/scim");
  return out.sort();
}

interface Case {
  name: string;
  query?: string;
  id?: string;
  body?: string;
  type?: string;
  /** Statuses this case may get (any non-5xx SCIM error when absent). */
  status?: number[];
}

const cases: Case[] = [
  { name: "NUL in a query value", query: "filter=userName%20eq%20%22a%00b%22", status: [400] },
  { name: "__proto__ as a query name", query: "__proto__=1", status: [400] },
  { name: "a malformed filter", query: `filter=${encodeURIComponent('userName eq "x" and (')}` },
  { name: "a 10,000-character filter", query: `filter=${encodeURIComponent(`userName eq "${"x".repeat(10_000)}"`)}` },
  { name: "a filter nested 200 levels", query: `filter=${encodeURIComponent(`${"(".repeat(200)}userName eq "x"${")".repeat(200)}`)}` },
  { name: "count that is not a number", query: "count=1e309" },
  { name: "an absurd startIndex", query: "startIndex=99999999999" },
  { name: "NUL in the id", id: "a\u0000b" },
  { name: "an id that is no uuid", id: "constructor" },
  { name: "a 10,000-character id", id: "x".repeat(10_000) },
  { name: "NUL in a body string", body: '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a\\u0000b","displayName":"a\\u0000b"}', status: [400, 404, 405] },
  { name: "a lone surrogate in a body string", body: '{"userName":"x\\udc00","displayName":"x\\udc00"}', status: [400, 404, 405] },
  { name: "__proto__ in a body", body: '{"__proto__":{"isAdmin":true},"userName":"x","displayName":"x"}', status: [400, 404, 405] },
  { name: "constructor.prototype in a body", body: '{"constructor":{"prototype":{"x":1}},"userName":"x"}', status: [400, 404, 405] },
  { name: "a body nested 30,000 levels", body: deep(30_000), status: [400, 404, 405] },
  { name: "malformed JSON", body: '{"userName": ', status: [400, 404, 405] },
  { name: "bytes that are not UTF-8", body: "\u00ff", type: "application/scim+json", status: [400, 404, 405] },
  { name: "a body sent as text/plain", body: "{}", type: "text/plain", status: [400, 404, 405] },
  { name: "an absurd date in a body", body: '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"d","meta":{"created":"99999-01-01T00:00:00Z"}}' },
];

describe("SCIM: every route × every bad-input class answers a SCIM error, never a 5xx", () => {
  let w: Awaited<ReturnType<typeof scimWorld>>;
  const ids: Record<string, string> = {};
  let errorLog: MockInstance;
  beforeAll(async () => {
    w = await scimWorld();
    ids.Users = (await (await callScim(userList.POST, w.token, "POST", "/Users", { body: oktaUser(w.domain) })).json()).id;
    ids.Groups = (await (await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: unique("g") } })).json()).id;
  }, 60_000);
  beforeEach(() => {
    errorLog = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => errorLog.mockRestore());

  it("finds the SCIM route files", () => {
    expect(listScimRouteFiles()).toContain("app/api/scim/v2/Users/[id]/route.ts");
    expect(listScimRouteFiles().length).toBeGreaterThanOrEqual(10);
  });

  for (const file of listScimRouteFiles()) {
    for (const method of METHODS) {
      it(`${method} ${file.replace(/^app|\/route\.ts$/g, "")}`, async () => {
        const handler = ((await import(`@/${file.replace(/\.ts$/, "")}`)) as Record<string, Handler | undefined>)[method];
        if (!handler) return; // not served: proxy.ts answers 405 (api-methods.test.ts)
        const hasId = file.includes("[id]");
        const collection = file.split("/")[4]!;
        const failures: string[] = [];
        for (const c of cases) {
          if (c.body !== undefined && (method === "GET" || method === "DELETE")) continue;
          if (c.id !== undefined && !hasId) continue;
          errorLog.mockClear();
          const id = c.id ?? ids[collection] ?? "User";
          const url = `http://localhost${file.replace(/^app|\/route\.ts$/g, "").replace("[id]", encodeURIComponent(id))}${c.query ? `?${c.query}` : ""}`;
          const headers: Record<string, string> = { authorization: `Bearer ${w.token}` };
          if (c.body !== undefined) headers["content-type"] = c.type ?? "application/scim+json";
          const body = c.body === "\u00ff" ? new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) : c.body;
          let res: Response;
          try {
            res = await handler(new Request(url, { method, headers, body }), { params: Promise.resolve<Record<string, string>>(hasId ? { id } : {}) });
          } catch (error) {
            failures.push(`${c.name}: threw ${(error as Error).message}`);
            continue;
          }
          const text = await res.text();
          // /Me's one answer is 501 (RFC 7644 §3.11: not supported), whatever the input; no crash.
          const notImplemented = file.includes("/Me/") && res.status === 501;
          if (res.status >= 500 && !notImplemented) failures.push(`${c.name}: ${res.status} ${text.slice(0, 200)}`);
          if (res.status >= 400) {
            if (!/^application\/scim\+json/.test(res.headers.get("content-type") ?? "")) failures.push(`${c.name}: a ${res.status} as ${res.headers.get("content-type")}`);
            else if ((JSON.parse(text) as { status?: string }).status !== String(res.status)) failures.push(`${c.name}: status field differs from ${res.status}`);
          }
          if (res.status === 422) failures.push(`${c.name}: the REST 422 instead of a SCIM 400`);
          // A method a discovery endpoint or /Bulk does not serve is 405 whatever the input.
          if (c.status && !c.status.includes(res.status) && res.status !== 405 && res.status < 500) failures.push(`${c.name}: ${res.status}, expected ${c.status.join(" or ")}: ${text.slice(0, 160)}`);
          if (errorLog.mock.calls.length > 0) failures.push(`${c.name}: logged ${String(errorLog.mock.calls[0]?.[0]).slice(0, 160)}`);
        }
        expect(failures).toEqual([]);
      }, 60_000);
    }
  }
});
