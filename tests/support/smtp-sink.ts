import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on loopback that keeps every message it receives, for tests that follow the
 * links Countersign mails out. No vitest imports: Playwright specs use it too.
 */
export type ReceivedMail = {
  /** Envelope recipients (RCPT TO). */
  to: string[];
  raw: string;
  /** Decoded Subject header. */
  subject: string;
  /** The decoded text/plain part (or the HTML part when there is no text part). */
  text: string;
  links: string[];
};

export type SmtpSink = {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Resolves with the first message (already received or still to come) that matches. */
  waitForMail(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
};

type Waiter = { predicate: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<Waiter>();

  const server = new SMTPServer({
    authOptional: true,
    // Plain-text AUTH is accepted (with any credentials) so smtp://user:pass@ URLs work too.
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "anonymous" });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => callback(error));
      stream.on("end", () => {
        const mail = parseMail(Buffer.concat(chunks).toString("utf8"), session.envelope.rcptTo.map((r) => r.address));
        messages.push(mail);
        for (const waiter of waiters) {
          if (!waiter.predicate(mail)) continue;
          clearTimeout(waiter.timer);
          waiters.delete(waiter);
          waiter.resolve(mail);
        }
        callback();
      });
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
  // A client that drops mid-session must not crash the test process.
  server.on("error", () => {});

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitForMail(predicate, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((m) => `${m.to.join(",")}: ${m.subject}`).join("; ") || "none";
          reject(new Error(`No matching mail within ${timeoutMs} ms (received: ${seen}).`));
        }, timeoutMs);
        const waiter: Waiter = { predicate, resolve, reject, timer };
        waiters.add(waiter);
      });
    },
    close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error("The SMTP sink was closed."));
      }
      waiters.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** http(s) URLs in order of appearance, without trailing sentence punctuation. */
export function extractLinks(text: string): string[] {
  return (text.match(/https?:\/\/[^\s<>"'`]+/g) ?? []).map((link) => link.replace(/[.,;:!?)\]]+$/, ""));
}

type Part = { headers: Map<string, string>; body: string };

/** Parses one RFC 822 message (from the sink, or an .eml file in DATA_DIR/outbox). */
export function parseMail(raw: string, to: string[] = []): ReceivedMail {
  const root = splitPart(raw);
  const parts = leafParts(root);
  const plain = parts.find((p) => contentType(p).startsWith("text/plain"));
  const html = parts.find((p) => contentType(p).startsWith("text/html"));
  const text = plain ? decodeBody(plain) : html ? decodeHtmlEntities(decodeBody(html)) : "";
  return { to, raw, subject: decodeWords(root.headers.get("subject") ?? ""), text, links: extractLinks(text) };
}

function splitPart(source: string): Part {
  const normalized = source.replace(/\r\n/g, "\n");
  const end = normalized.indexOf("\n\n");
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? "" : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  // Folded header lines continue with leading whitespace.
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function contentType(part: Part): string {
  return (part.headers.get("content-type") ?? "text/plain").toLowerCase();
}

function leafParts(part: Part): Part[] {
  const type = part.headers.get("content-type") ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return [part];
  const sections = part.body.split(`--${boundary}`).slice(1);
  // Everything after the closing "--boundary--" is epilogue.
  const inner = sections.filter((s) => !s.startsWith("--")).map((s) => splitPart(s.replace(/^\n/, "")));
  return inner.flatMap(leafParts);
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  if (encoding === "base64") return Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(part.body);
  return part.body;
}

/** Soft line breaks ("=" at line end) go first, then =XX bytes, decoded together as UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) as nodemailer writes them. */
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
      const encoding: BufferEncoding = /^utf-?8$/i.test(charset) ? "utf8" : "latin1";
      if (kind.toLowerCase() === "b") return Buffer.from(data, "base64").toString(encoding);
      const bytes = data.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return Buffer.from(bytes, "latin1").toString(encoding);
    });
}

function decodeHtmlEntities(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[name] ?? "");
}
