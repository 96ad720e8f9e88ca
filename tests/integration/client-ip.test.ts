import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { normalizeIp, parseTrustedProxies, resolveClientIp, TrustedProxiesError } from "@/lib/core/client-ip";
import { PEER_IP_HEADER, readRequestMeta, REQUEST_ID_HEADER } from "@/lib/core/request-meta";
import { applyTrustedHeaders } from "@/scripts/lib/trusted-headers";

/**
 * Client IP: from the socket by default; from X-Forwarded-For only through proxies listed in
 * TRUSTED_PROXIES. The function is pure; the last block runs it behind a real HTTP server.
 */
const nobody = parseTrustedProxies(undefined);

describe("resolveClientIp", () => {
  it("a spoofed X-Forwarded-For from an untrusted peer is ignored", () => {
    expect(resolveClientIp("203.0.113.7", "1.2.3.4", nobody)).toBe("203.0.113.7");
    expect(resolveClientIp("203.0.113.7", "1.2.3.4, 10.0.0.2", parseTrustedProxies("10.0.0.0/8"))).toBe("203.0.113.7");
    // Loopback is not trusted unless listed: a local process cannot pose as anyone.
    expect(resolveClientIp("127.0.0.1", "198.51.100.1", nobody)).toBe("127.0.0.1");
    expect(resolveClientIp("::ffff:203.0.113.7", "1.2.3.4", nobody)).toBe("203.0.113.7");
  });

  it("without X-Forwarded-For the client is the socket's peer, trusted or not", () => {
    const trusted = parseTrustedProxies("10.0.0.1");
    expect(resolveClientIp("10.0.0.1", undefined, trusted)).toBe("10.0.0.1");
    expect(resolveClientIp("10.0.0.1", "", trusted)).toBe("10.0.0.1");
    expect(resolveClientIp("::ffff:192.0.2.4", undefined, nobody)).toBe("192.0.2.4");
  });

  it("through a trusted chain the first untrusted hop from the right is the client; what the client wrote left of it is never used", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, 2001:db8:1::/48");
    // client 198.51.100.9 -> proxy 10.1.1.1 -> proxy 10.2.2.2 -> us; the client itself sent "6.6.6.6".
    expect(resolveClientIp("10.2.2.2", "6.6.6.6, 198.51.100.9, 10.1.1.1", trusted)).toBe("198.51.100.9");
    expect(resolveClientIp("10.2.2.2", "198.51.100.9,10.1.1.1", trusted)).toBe("198.51.100.9");
    // A client that forges a trusted-looking hop still ends up as itself: the walk stops at it first.
    expect(resolveClientIp("10.2.2.2", "10.9.9.9, 198.51.100.9", trusted)).toBe("198.51.100.9");
    expect(resolveClientIp("2001:db8:1::5", "2001:DB8:FFFF::1", trusted)).toBe("2001:db8:ffff::1");
    expect(resolveClientIp("::ffff:10.2.2.2", "[2001:db8:ffff::1]:443", trusted)).toBe("2001:db8:ffff::1");
    expect(resolveClientIp("10.2.2.2", "198.51.100.9:51234", trusted)).toBe("198.51.100.9");
    // Every hop trusted (a request from inside our own network): the leftmost is the origin.
    expect(resolveClientIp("10.2.2.2", "10.3.3.3, 10.1.1.1", trusted)).toBe("10.3.3.3");
  });

  it("a malformed hop stops the walk at the last address a trusted proxy vouched for", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8");
    expect(resolveClientIp("10.2.2.2", "1.2.3.4, not-an-ip", trusted)).toBe("10.2.2.2");
    expect(resolveClientIp("10.2.2.2", "1.2.3.4, unknown, 10.1.1.1", trusted)).toBe("10.1.1.1");
    expect(resolveClientIp("10.2.2.2", "1.2.3.4,,10.1.1.1", trusted)).toBe("10.1.1.1");
    expect(resolveClientIp("10.2.2.2", "300.1.1.1", trusted)).toBe("10.2.2.2");
  });

  it('"loopback" trusts 127.0.0.0/8 and ::1', () => {
    const trusted = parseTrustedProxies("loopback");
    expect(resolveClientIp("127.0.0.1", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(resolveClientIp("127.8.9.10", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(resolveClientIp("::1", "2001:db8::2", trusted)).toBe("2001:db8::2");
    expect(resolveClientIp("::ffff:127.0.0.1", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(resolveClientIp("192.0.2.1", "198.51.100.1", trusted)).toBe("192.0.2.1");
  });
});

describe("parseTrustedProxies", () => {
  it("accepts addresses and CIDR ranges of both families, with spaces and an empty value", () => {
    const trusted = parseTrustedProxies(" 192.0.2.10 , 10.0.0.0/8,fd00::/8, 2001:db8::1, ::ffff:172.16.0.1, loopback ");
    expect(trusted.entries).toEqual(["192.0.2.10", "10.0.0.0/8", "fd00::/8", "2001:db8::1", "::ffff:172.16.0.1", "loopback"]);
    for (const ip of ["192.0.2.10", "10.255.0.1", "fd12::1", "2001:db8::1", "2001:0db8:0000::1", "172.16.0.1", "127.0.0.1", "::1"]) expect(trusted.isTrusted(ip), ip).toBe(true);
    for (const ip of ["192.0.2.11", "11.0.0.1", "fe80::1", "2001:db8::2", "172.16.0.2", "garbage"]) expect(trusted.isTrusted(ip), ip).toBe(false);
    expect(parseTrustedProxies("").entries).toEqual([]);
    expect(parseTrustedProxies(" , ").isTrusted("127.0.0.1")).toBe(false);
    // Host bits below the prefix are ignored, as in every CIDR parser.
    expect(parseTrustedProxies("10.1.2.3/16").isTrusted("10.1.200.200")).toBe(true);
  });

  it("a malformed entry throws one line naming TRUSTED_PROXIES and the entry", () => {
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/-1", "10.0.0.0/ 8", "10.0.0", "proxy.internal", "*", "localhost", "1.2.3.4:80"]) {
      expect(() => parseTrustedProxies(`127.0.0.1, ${bad}`), bad).toThrow(TrustedProxiesError);
      expect(() => parseTrustedProxies(bad), bad).toThrow(`TRUSTED_PROXIES: "${bad.trim()}" is not an IP address`);
    }
  });

  it("normalizeIp keeps what we record canonical", () => {
    expect(normalizeIp("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(normalizeIp("FE80::1%eth0")).toBe("fe80::1");
    expect(normalizeIp("[::1]:8080")).toBe("::1");
    expect(normalizeIp(" 1.2.3.4 ")).toBe("1.2.3.4");
    expect(normalizeIp("1.2.3.4:")).toBeNull();
    expect(normalizeIp("unknown")).toBeNull();
  });
});

describe("behind the real HTTP front (applyTrustedHeaders)", () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A tiny server that applies the launcher's header logic, then answers what the app would read. */
  async function start(trustedProxies: string | undefined): Promise<number> {
    const trusted = parseTrustedProxies(trustedProxies);
    server = http.createServer((req, res) => {
      const requestId = applyTrustedHeaders(req, trusted);
      const headers = { get: (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : null) };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ meta: readRequestMeta(headers), requestId }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  async function ask(port: number, headers: Record<string, string>) {
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
    return (await response.json()) as { meta: { ip: string; requestId: string }; requestId: string };
  }

  const spoofed = { "x-forwarded-for": "198.51.100.66", [PEER_IP_HEADER]: "192.0.2.99", [REQUEST_ID_HEADER]: "forged-id" };

  it("a spoofed X-Forwarded-For and a spoofed peer-ip header from 127.0.0.1 with TRUSTED_PROXIES unset: the app sees 127.0.0.1", async () => {
    const port = await start(undefined);
    const { meta, requestId } = await ask(port, spoofed);
    expect(meta.ip).toBe("127.0.0.1");
    expect(meta.requestId).toBe(requestId);
    expect(meta.requestId).not.toBe("forged-id");
  });

  it("with TRUSTED_PROXIES=loopback the same request is attributed to the forwarded client", async () => {
    const port = await start("loopback");
    expect((await ask(port, spoofed)).meta.ip).toBe("198.51.100.66");
    // The peer-ip header itself is never taken from the client, trusted proxy or not.
    expect((await ask(port, { [PEER_IP_HEADER]: "192.0.2.99" })).meta.ip).toBe("127.0.0.1");
  });
});
