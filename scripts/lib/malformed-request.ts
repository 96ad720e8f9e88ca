import type { Duplex } from "node:stream";
import type { IncomingMessage, ServerResponse } from "node:http";
import { buildProblem, PROBLEM_CONTENT_TYPE } from "@/lib/http/problem";

/*
 * Requests that Next.js cannot route answer a plain-text 500 from inside its router, before
 * proxy.ts or any handler of ours runs: a path whose percent-escape does not decode
 * (`/api/v1/orders/%zz`, or `%ED%A0%80`, a lone surrogate). The front answers them itself.
 */

/** True when every segment of the path (before `?`) percent-decodes to well-formed text. */
export function isDecodablePath(url: string): boolean {
  const path = url.split("?", 1)[0]!;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

// These answers carry no script and embed nothing: the strictest policy fits them all.
const PLAIN_HEADERS = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" };

/**
 * Answers a request whose path does not decode: 404 (no route can have that name), as
 * problem+json under /api and as plain text elsewhere. Returns false when the path is fine.
 * The path is not echoed: it is the malformed text itself.
 */
export function answerUndecodablePath(req: IncomingMessage, res: ServerResponse, requestId: string): boolean {
  const url = req.url ?? "/";
  if (isDecodablePath(url)) return false;
  const detail = "The path holds a malformed percent-escape, so it names nothing here.";
  const api = /^\/api(\/|\?|$)/.test(url);
  const body = api ? JSON.stringify(buildProblem({ status: 404, detail }, undefined, requestId)) : `Not found. ${detail}\n`;
  res.writeHead(404, { ...PLAIN_HEADERS, "Content-Type": api ? PROBLEM_CONTENT_TYPE : "text/plain; charset=utf-8", "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
  req.resume(); // a body, if one was sent, is not read: drain it so the connection can be reused
  return true;
}

/**
 * Node's own answer to a request it cannot parse (a bad request line, headers over the size
 * limit, a request that never finished) is an empty 400, 431 or 408; ours says the same as
 * problem+json, and never echoes the input. (Replacing Node's handler means doing its job:
 * a reset connection is only closed.)
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const [status, title, detail] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request's headers (or its URL) are too large."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request was not received in time."]
        : [400, "Bad Request", "The request could not be parsed as HTTP."];
  const body = JSON.stringify({ type: "about:blank", title, status, detail });
  const headers = { ...PLAIN_HEADERS, "Content-Type": PROBLEM_CONTENT_TYPE, "Content-Length": String(Buffer.byteLength(body)), Connection: "close" };
  socket.end(`HTTP/1.1 ${status} ${title}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n${body}`);
}
