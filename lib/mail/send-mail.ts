import { randomBytes } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import { encodeControlChars } from "@/lib/audit/encode-control-chars";

export type OutgoingMail = { to: string; subject: string; text: string; html?: string; link?: string };
export type MailDelivery = { delivery: "smtp" | "outbox"; file?: string };

const DEFAULT_FROM = "Countersign <no-reply@countersign.local>";

/** Sending through SMTP_URL failed, or there is nowhere to send to. The message names the host, never the credentials. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    /** nodemailer's error code (ECONNECTION, EAUTH, EENVELOPE, ...) when there is one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = "MailDeliveryError";
  }
}

/**
 * Why links may not go to the log, or null when they may. In production a reset or invitation
 * link in the log is a live credential in every log collector; the demo (embedded database on
 * loopback) opts in with MAIL_LOG_LINKS=1, which the launcher sets for it.
 */
export function mailLogRefusal(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SMTP_URL?.trim() || env.NODE_ENV !== "production" || env.MAIL_LOG_LINKS === "1") return null;
  return "Mail is not configured: SMTP_URL is unset, and in production links are not printed to the log. Set SMTP_URL, or MAIL_LOG_LINKS=1 to print links to the log.";
}

/**
 * Sends one mail: through SMTP when SMTP_URL is set, otherwise into DATA_DIR/outbox as an .eml
 * file with the link printed to the server log, so a fresh install works end to end without a
 * mail server (in production only with MAIL_LOG_LINKS=1). The environment is read on every call.
 */
export async function sendMail(message: OutgoingMail): Promise<MailDelivery> {
  const mail = {
    from: process.env.MAIL_FROM?.trim() || DEFAULT_FROM,
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
  };
  const smtpUrl = process.env.SMTP_URL?.trim();
  if (smtpUrl) {
    await sendOverSmtp(smtpUrl, mail);
    return { delivery: "smtp" };
  }
  // Refused before anything is written: the outbox file holds the live link too.
  const refusal = mailLogRefusal();
  if (refusal) throw new MailDeliveryError(refusal);
  const file = await saveToOutbox(mail);
  // The deliberate local-development affordance: without SMTP the operator gets the link from
  // the log. Only to, subject and link are printed, never the body.
  const link = message.link ? ` — ${message.link}` : "";
  console.log(encodeControlChars(`[mail] to ${message.to}: ${message.subject}${link} (saved ${file})`));
  return { delivery: "outbox", file };
}

type MailFields = { from: string; to: string; subject: string; text: string; html?: string };

// One transport per URL: tests and operators may change SMTP_URL while the process runs.
const smtpTransports = new Map<string, Transporter>();

async function sendOverSmtp(smtpUrl: string, mail: MailFields): Promise<void> {
  const where = describeSmtpUrl(smtpUrl);
  let transport = smtpTransports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    smtpTransports.set(smtpUrl, transport);
  }
  try {
    await transport.sendMail(mail);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = redact(error instanceof Error ? error.message : String(error), smtpUrl);
    // No `cause`: nodemailer's error objects can carry the connection options, password included.
    throw new MailDeliveryError(`Sending mail through SMTP_URL (${where}) failed: ${reason}`, typeof code === "string" ? code : undefined);
  }
}

/** "host:port" from SMTP_URL; a malformed URL is reported without echoing it. */
function describeSmtpUrl(smtpUrl: string): string {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new MailDeliveryError("SMTP_URL is not a valid URL; expected smtp://host:port or smtps://user:password@host:465.");
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new MailDeliveryError(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}// (host ${url.hostname}).`);
  }
  return `${url.hostname}:${url.port || (url.protocol === "smtps:" ? "465" : "587")}`;
}

// A server's reply could in theory quote what it was sent; never let the password through.
function redact(text: string, smtpUrl: string): string {
  const { password } = new URL(smtpUrl);
  if (!password) return text;
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A stray "%" that is not an escape: nodemailer sees the raw text, which is already covered.
  }
  return [password, decoded].reduce((out, secret) => out.split(secret).join("***"), text);
}

let streamTransport: Transporter | undefined;

/** Writes the RFC 822 message to DATA_DIR/outbox; owner-only, since it holds a live link. */
async function saveToOutbox(mail: MailFields): Promise<string> {
  streamTransport ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = (await streamTransport.sendMail(mail)) as { message: Buffer };
  const outbox = path.resolve(process.env.DATA_DIR || ".data", "outbox");
  await mkdir(outbox, { recursive: true, mode: 0o700 });
  const stamp = new Date().toISOString().replace(/:/g, "-");
  const file = path.join(outbox, `${stamp}-${randomBytes(6).toString("hex")}.eml`);
  await writeFile(file, info.message, { mode: 0o600, flag: "wx" });
  // The mode given to writeFile is narrowed by the umask but never widened; make it exact.
  await chmod(file, 0o600);
  return file;
}
