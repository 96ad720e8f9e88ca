import { randomUUID } from "node:crypto";
import http from "node:http";
import next from "next";
import { PEER_IP_HEADER, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";

/**
 * Our own HTTP front for Next.js. It records the socket's peer address and a request id in
 * headers overwriting any client-sent copies, so the app can trust them.
 */
export async function serveHttp({ dir, dev, hostname, port }: { dir: string; dev: boolean; hostname: string; port: number }) {
  const app = next({ dev, dir, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    req.headers[PEER_IP_HEADER] = normalizeIp(req.socket.remoteAddress);
    req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
    const requestId = randomUUID();
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("X-Request-Id", requestId);
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  return {
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function normalizeIp(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
