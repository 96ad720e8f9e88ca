import http from "node:http";
import type { Socket } from "node:net";
import { eq, like } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditEvents, authThrottle } from "@/db/schema";
import { parseTrustedProxies } from "@/lib/core/client-ip";
import { runCommand } from "@/lib/core/command";
import { PEER_IP_HEADER, readRequestMeta, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";
import { FRONT_SECRET_ENV, FRONT_SECRET_HEADER } from "@/lib/http/front-secret";
import { PROTO_HEADER } from "@/lib/http/security-headers";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { signInCommand } from "@/lib/identity/sign-in";
import { proxy } from "@/proxy";
import { applyTrustedHeaders, createFrontSecret } from "@/scripts/lib/trusted-headers";
import { asOperator } from "../support/as-operator";

/**
 * Item 9: the client address, scheme, path and request id are only believed when our HTTP front
 * set them. The front vouches with a per-process secret; proxy.ts removes the four headers (and
 * the secret) from any request that lacks it, so under `next start` or any other server a
 * client's copies never reach the audit trail or the throttle keys.
 */
const CHECKLIST = "Throttle per account and per IP";
const spoofed = { [PEER_IP_HEADER]: "198.51.100.66", [PROTO_HEADER]: "https", [REQUEST_PATH_HEADER]: "/forged", [REQUEST_ID_HEADER]: "forged-request-id" };

/** The request headers proxy.ts hands on to the app (Next's x-middleware-request-* protocol). */
function forwarded(response: Response): Headers {
  const out = new Headers();
  for (const name of (response.headers.get("x-middleware-override-headers") ?? "").split(",").filter(Boolean)) {
    const value = response.headers.get(`x-middleware-request-${name}`);
    if (value !== null) out.set(name, value);
  }
  return out;
}

const through = (headers: Record<string, string>) => forwarded(proxy(new NextRequest("http://127.0.0.1/sign-in", { headers })));

/** A request as the front receives it from a client at `remoteAddress`, after the front's headers. */
function viaFront(clientHeaders: Record<string, string>, remoteAddress = "203.0.113.7"): Record<string, string> {
  const req = new http.IncomingMessage({ remoteAddress } as unknown as Socket);
  req.url = "/sign-in?x=1";
  req.headers = { ...clientHeaders };
  applyTrustedHeaders(req, parseTrustedProxies(undefined));
  return Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === "string"));
}

describe(`${CHECKLIST}; the audit trail's addresses: the front's headers count only with the front's secret`, () => {
  const saved = process.env[FRONT_SECRET_ENV];
  beforeEach(() => {
    createFrontSecret();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[FRONT_SECRET_ENV];
    else process.env[FRONT_SECRET_ENV] = saved;
  });

  it("a client's own copies of the four headers are removed before the app sees them, and its request id replaced", () => {
    const headers = through(spoofed);
    expect(headers.get(PEER_IP_HEADER)).toBeNull();
    expect(headers.get(PROTO_HEADER)).toBeNull();
    expect(headers.get(REQUEST_PATH_HEADER)).toBeNull();
    expect(headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    expect(readRequestMeta(headers)).toMatchObject({ ip: null });
    expect(readRequestMeta(headers).requestId).not.toBe("forged-request-id");
  });

  it("a guessed secret (right length, wrong value) vouches for nothing, and neither does an empty one", () => {
    const secret = process.env[FRONT_SECRET_ENV]!;
    const wrong = `${secret.slice(0, -1)}${secret.endsWith("0") ? "1" : "0"}`;
    for (const guess of [wrong, "", secret.slice(0, 10)]) {
      const headers = through({ ...spoofed, [FRONT_SECRET_HEADER]: guess });
      expect(headers.get(PEER_IP_HEADER), guess).toBeNull();
      expect(headers.get(FRONT_SECRET_HEADER)).toBeNull();
    }
  });

  it("under `next start` (no front, so no secret in the environment) the headers never count, whatever the client sends", () => {
    delete process.env[FRONT_SECRET_ENV];
    const headers = through({ ...spoofed, [FRONT_SECRET_HEADER]: "" });
    expect(headers.get(PEER_IP_HEADER)).toBeNull();
    expect(headers.get(PROTO_HEADER)).toBeNull();
  });

  it("through our front, its own values reach the app, the client's never, and the secret goes no further than proxy.ts", () => {
    const headers = through(viaFront(spoofed));
    expect(headers.get(PEER_IP_HEADER)).toBe("203.0.113.7");
    expect(headers.get(PROTO_HEADER)).toBe("http");
    expect(headers.get(REQUEST_PATH_HEADER)).toBe("/sign-in?x=1");
    expect(headers.get(REQUEST_ID_HEADER)).not.toBe("forged-request-id");
    expect(headers.get(FRONT_SECRET_HEADER)).toBeNull();
  });

  it("each start makes a new secret, so one seen before (or inherited from the environment) stops working", () => {
    const old = viaFront({});
    createFrontSecret();
    expect(through(old).get(PEER_IP_HEADER)).toBeNull();
    expect(through(viaFront({})).get(PEER_IP_HEADER)).toBe("203.0.113.7");
  });

  it("a spoofed address reaches neither the audit trail nor the per-address throttle key of a failed sign-in", async () => {
    const meta = readRequestMeta(through({ ...spoofed, "user-agent": "spoofer" }));
    await expect(runCommand(signInCommand, anonymousPrincipal(), meta, { email: "nobody@example.test", password: "wrong password here" })).rejects.toThrow();
    const keys = await asOperator((tx) => tx.select({ key: authThrottle.key }).from(authThrottle).where(like(authThrottle.key, "ip:%")));
    expect(keys.map((k) => k.key)).not.toContain("ip:198.51.100.66");
    const events = await asOperator((tx) => tx.select({ ip: auditEvents.ip }).from(auditEvents).where(eq(auditEvents.requestId, meta.requestId)));
    expect(events.length).toBe(1);
    expect(events[0]!.ip).toBeNull();
  });
});
