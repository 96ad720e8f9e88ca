import http from "node:http";
import next from "next";
import { parseTrustedProxies } from "@/lib/core/client-ip";
import { answerUndecodablePath, answerUnparsableRequest } from "./malformed-request";
import { applyTrustedHeaders, createFrontSecret } from "./trusted-headers";

/**
 * Our own HTTP front for Next.js. It records the client's address (the socket's peer, or
 * X-Forwarded-For through the proxies in TRUSTED_PROXIES), the scheme (TLS, or X-Forwarded-Proto
 * through the same proxies) and a request id in headers overwriting any client-sent copies, and
 * vouches for them with a secret made at start (proxy.ts drops them from requests without it).
 * Requests Next.js cannot route (a path that does not percent-decode) are answered here.
 */
export async function serveHttp({ dir, dev, hostname, port }: { dir: string; dev: boolean; hostname: string; port: number }) {
  // Parsed once, before the slow prepare: a bad entry stops the start with a line naming the variable.
  const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);
  // Before Next starts: the app reads it from the environment of this same process.
  createFrontSecret();
  const app = next({ dev, dir, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    const requestId = applyTrustedHeaders(req, trusted);
    res.setHeader("X-Request-Id", requestId);
    if (answerUndecodablePath(req, res, requestId)) return;
    void handle(req, res);
  });
  server.on("clientError", answerUnparsableRequest);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  return {
    server,
    // Stops accepting, lets requests in flight finish (idle keep-alive connections close now),
    // and cuts whatever is still open after `graceMs`, so a stop never waits on a slow client.
    close: (graceMs = 5_000) => new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      cut.unref();
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
    }),
  };
}
