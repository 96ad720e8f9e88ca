import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { parseTrustedProxies } from "@/lib/core/client-ip";
import { PROTO_HEADER } from "@/lib/http/security-headers";
import { proxy } from "@/proxy";
import { applyTrustedHeaders, resolveProto } from "@/scripts/lib/trusted-headers";

/**
 * The scheme header our HTTP front sets, which decides HSTS: https only from a TLS socket or from
 * a trusted proxy's X-Forwarded-Proto, never from what a client claims. The last block runs the
 * front's header logic and proxy.ts behind a real HTTP server and reads the response headers.
 */
const title = "Headers: a Content-Security-Policy with nonces (no unsafe-inline scripts), HSTS when served over HTTPS, frame-ancestors 'none', Referrer-Policy, X-Content-Type-Options";
const nobody = parseTrustedProxies(undefined);
const loopback = parseTrustedProxies("loopback");

/** A request as node:http hands it to the front, on a socket that looks as given. */
function requestOn(socket: { remoteAddress: string; encrypted?: boolean }, headers: Record<string, string>): http.IncomingMessage {
  const req = new http.IncomingMessage(socket as unknown as Socket);
  req.url = "/sign-in";
  req.headers = { ...headers };
  return req;
}

describe(`${title}: the front's scheme (resolveProto)`, () => {
  it("a TLS socket is https, whoever the peer is", () => {
    expect(resolveProto(requestOn({ remoteAddress: "203.0.113.7", encrypted: true }, {}), nobody)).toBe("https");
    expect(resolveProto(requestOn({ remoteAddress: "203.0.113.7", encrypted: true }, { "x-forwarded-proto": "http" }), nobody)).toBe("https");
  });

  it("a plain socket is http, and an untrusted peer's X-Forwarded-Proto is ignored", () => {
    expect(resolveProto(requestOn({ remoteAddress: "203.0.113.7" }, {}), nobody)).toBe("http");
    expect(resolveProto(requestOn({ remoteAddress: "203.0.113.7" }, { "x-forwarded-proto": "https" }), nobody)).toBe("http");
    expect(resolveProto(requestOn({ remoteAddress: "203.0.113.7" }, { "x-forwarded-proto": "https" }), loopback)).toBe("http");
    // Loopback is not trusted unless listed.
    expect(resolveProto(requestOn({ remoteAddress: "127.0.0.1" }, { "x-forwarded-proto": "https" }), nobody)).toBe("http");
  });

  it("a trusted proxy's X-Forwarded-Proto is believed: its first entry, in any case", () => {
    expect(resolveProto(requestOn({ remoteAddress: "127.0.0.1" }, { "x-forwarded-proto": "https" }), loopback)).toBe("https");
    expect(resolveProto(requestOn({ remoteAddress: "::ffff:127.0.0.1" }, { "x-forwarded-proto": "HTTPS" }), loopback)).toBe("https");
    expect(resolveProto(requestOn({ remoteAddress: "127.0.0.1" }, { "x-forwarded-proto": " https , http" }), loopback)).toBe("https");
    expect(resolveProto(requestOn({ remoteAddress: "127.0.0.1" }, { "x-forwarded-proto": "http" }), loopback)).toBe("http");
    expect(resolveProto(requestOn({ remoteAddress: "127.0.0.1" }, { "x-forwarded-proto": "wss-ish" }), loopback)).toBe("http");
    expect(resolveProto(requestOn({ remoteAddress: "10.1.2.3" }, { "x-forwarded-proto": "https" }), parseTrustedProxies("10.0.0.0/8"))).toBe("https");
  });

  it("applyTrustedHeaders overwrites a client-sent scheme header", () => {
    const forged = requestOn({ remoteAddress: "203.0.113.7" }, { [PROTO_HEADER]: "https" });
    applyTrustedHeaders(forged, nobody);
    expect(forged.headers[PROTO_HEADER]).toBe("http");
    const tls = requestOn({ remoteAddress: "203.0.113.7", encrypted: true }, { [PROTO_HEADER]: "http" });
    applyTrustedHeaders(tls, nobody);
    expect(tls.headers[PROTO_HEADER]).toBe("https");
  });
});

describe(`${title}: behind the real HTTP front (applyTrustedHeaders, then proxy.ts)`, () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** The front's header logic, then the app's proxy, answering with the headers it would send. */
  async function start(trustedProxies: string | undefined): Promise<number> {
    const trusted = parseTrustedProxies(trustedProxies);
    server = http.createServer((req, res) => {
      applyTrustedHeaders(req, trusted);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const response = proxy(new NextRequest(`http://127.0.0.1${req.url}`, { headers }));
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  const hsts = async (port: number, headers: Record<string, string>) => (await fetch(`http://127.0.0.1:${port}/sign-in`, { headers })).headers.get("strict-transport-security");

  it("HSTS when a trusted proxy says the client came over HTTPS, with upgrade-insecure-requests in the CSP", async () => {
    const port = await start("loopback");
    const response = await fetch(`http://127.0.0.1:${port}/sign-in`, { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await hsts(port, { "x-forwarded-proto": "http" })).toBeNull();
  });

  it("no HSTS over plain HTTP, whatever an untrusted client claims", async () => {
    const port = await start(undefined);
    expect(await hsts(port, {})).toBeNull();
    expect(await hsts(port, { "x-forwarded-proto": "https" })).toBeNull();
    expect(await hsts(port, { [PROTO_HEADER]: "https" })).toBeNull();
    const response = await fetch(`http://127.0.0.1:${port}/sign-in`, { headers: { [PROTO_HEADER]: "https" } });
    expect(response.headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });
});
