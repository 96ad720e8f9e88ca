import http from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustedProxies } from "@/lib/core/client-ip";
import { answerUndecodablePath, answerUnparsableRequest, isDecodablePath } from "@/scripts/lib/malformed-request";
import { applyTrustedHeaders } from "@/scripts/lib/trusted-headers";

/**
 * What our HTTP front answers itself, before Next.js: a path whose percent-escapes do not decode
 * (Next's router throws on it and answers a plain-text 500 before proxy.ts runs) and a request
 * Node cannot parse. The server below runs the front's request handling exactly as
 * scripts/lib/serve-http.ts does, over real sockets; anything the front lets through reaches a
 * stand-in for Next that says so. e2e/bad-input.spec.ts asks the same of the built app.
 */
const CHECKLIST = "No input reaches a 5xx: malformed percent-encoding";
let server: http.Server;
let port: number;

beforeAll(async () => {
  const trusted = parseTrustedProxies(undefined);
  server = http.createServer((req, res) => {
    const requestId = applyTrustedHeaders(req, trusted);
    res.setHeader("X-Request-Id", requestId);
    if (answerUndecodablePath(req, res, requestId)) return;
    res.writeHead(200, { "content-type": "text/plain", "content-length": "15" });
    res.end("reached the app");
  });
  server.on("clientError", answerUnparsableRequest);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends raw bytes and returns the raw answer: fetch would normalize the very paths under test. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}
const get = (path: string) => raw(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const bodyOf = (answer: string) => answer.slice(answer.indexOf("\r\n\r\n") + 4);
const headerOf = (answer: string, name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(answer.slice(0, answer.indexOf("\r\n\r\n")))?.[1]?.trim();

describe(`${CHECKLIST}: the front answers a path that does not decode`, () => {
  it("under /api: a problem+json 404 with the request id, the malformed text not echoed", async () => {
    for (const path of ["/api/v1/orders/%zz", "/api/v1/orders/%ED%A0%80", "/api/v1/roles/%E0%A4%A", "/api/v1/%", "/api/v1/grants/%C0%AF?grants=revoke"]) {
      const answer = await get(path);
      expect(statusOf(answer), path).toBe(404);
      expect(headerOf(answer, "content-type")).toBe("application/problem+json");
      const problem = JSON.parse(bodyOf(answer)) as { status: number; title: string; requestId: string; instance?: string };
      expect(problem).toMatchObject({ status: 404, title: "Not Found", requestId: headerOf(answer, "x-request-id") });
      expect(problem.instance).toBeUndefined();
      expect(bodyOf(answer)).not.toContain("%");
    }
  });

  it("elsewhere: a plain-text 404", async () => {
    const answer = await get("/orgs/%zz/orders");
    expect(statusOf(answer)).toBe(404);
    expect(headerOf(answer, "content-type")).toBe("text/plain; charset=utf-8");
    expect(headerOf(answer, "x-content-type-options")).toBe("nosniff");
  });

  it("well-formed escapes, and a malformed one in the query string only (which Next reads leniently), go through", async () => {
    for (const path of ["/api/v1/orders/%41bc", "/api/v1/orders?q=%zz", "/orgs/acme/orders?q=%E2%82%AC", "/"]) {
      const answer = await get(path);
      expect(bodyOf(answer), path).toBe("reached the app");
    }
    expect(isDecodablePath("/a/%F0%9F%98%80")).toBe(true);
    expect(isDecodablePath("/a/%F0%9F%98")).toBe(false);
  });
});

describe("Errors are clear and say which field and why: a request Node cannot parse gets a problem+json answer", () => {
  it("a malformed header line is a 400, headers over Node's limit a 431, and neither echoes the input", async () => {
    const bad = await raw("GET / HTTP/1.1\r\nHost: localhost\r\nNot a header line\r\n\r\n");
    expect(statusOf(bad)).toBe(400);
    expect(headerOf(bad, "content-type")).toBe("application/problem+json");
    expect(JSON.parse(bodyOf(bad))).toMatchObject({ status: 400, title: "Bad Request" });
    expect(bad).not.toContain("Not a header line");

    const huge = await raw(`GET /api/v1/orders?q=${"x".repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(statusOf(huge)).toBe(431);
    expect(JSON.parse(bodyOf(huge))).toMatchObject({ status: 431 });
  });
});
