import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { appLink, appUrl } from "@/lib/mail/app-url";
import { describeValidity, invitationMessage, passwordResetMessage } from "@/lib/mail/messages";
import { MailDeliveryError, sendMail } from "@/lib/mail/send-mail";
import { extractLinks, parseMail, startSmtpSink, type SmtpSink } from "@/tests/support/smtp-sink";

/**
 * Outgoing mail: through a real SMTP server (the sink) when SMTP_URL is set, into
 * DATA_DIR/outbox with the link in the server log otherwise. Links are read back from the
 * received mail, after its transfer encoding, exactly as a recipient would get them.
 */
const ENV_KEYS = ["SMTP_URL", "MAIL_FROM", "DATA_DIR", "APP_URL", "PORT"] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

const MINUTE = 60_000;
const inOneWeek = () => new Date(Date.now() + 7 * 24 * 60 * MINUTE);
// Long enough that quoted-printable must wrap it with a soft line break.
const tokenLink = (route: string) => {
  process.env.APP_URL = "https://accounts.example.com";
  return appLink(route, { token: randomBytes(32).toString("base64url"), org: "müller-söhne" });
};

describe("sendMail over SMTP", () => {
  it("an invitation arrives with the right recipient, subject and exactly the link that was passed in", async () => {
    const link = tokenLink("/invitations/accept");
    const to = `invitee-${randomBytes(4).toString("hex")}@example.com`;
    const message = invitationMessage({ orgName: "Müller & Söhne GmbH", inviterName: "Ada Lovelace", link, expiresAt: inOneWeek() });
    process.env.SMTP_URL = sink.url;
    process.env.MAIL_FROM = "Acme Accounts <accounts@acme.example>";

    await expect(sendMail({ to, ...message })).resolves.toEqual({ delivery: "smtp" });

    const mail = await sink.waitForMail((m) => m.to.includes(to));
    expect(mail.to).toEqual([to]);
    expect(mail.subject).toBe("Ada Lovelace invited you to Müller & Söhne GmbH on Countersign");
    expect(mail.links).toEqual([link]);
    expect(mail.text).toContain("valid for 7 days");
    expect(mail.raw).toMatch(/^From: Acme Accounts <accounts@acme\.example>$/m);
    expect(mail.raw).toMatch(/multipart\/alternative/);
  });

  it("without MAIL_FROM the sender is Countersign <no-reply@countersign.local>", async () => {
    const to = `reset-${randomBytes(4).toString("hex")}@example.com`;
    process.env.SMTP_URL = sink.url;
    delete process.env.MAIL_FROM;
    const link = tokenLink("/reset-password");
    await sendMail({ to, ...passwordResetMessage({ link, expiresAt: new Date(Date.now() + 30 * MINUTE), requestedByAdmin: false }) });
    const mail = await sink.waitForMail((m) => m.to.includes(to));
    expect(mail.raw).toMatch(/^From: Countersign <no-reply@countersign\.local>$/m);
    expect(mail.links).toEqual([link]);
    expect(mail.text).toContain("If you did not ask for this, ignore this email; your password stays the same.");
  });

  it("an SMTP failure propagates and names SMTP_URL's host, never its password", async () => {
    const closed = await startSmtpSink();
    await closed.close();
    process.env.SMTP_URL = `smtp://mailer:hunter2-secret@127.0.0.1:${closed.port}`;
    const error = await sendMail({ to: "a@example.com", subject: "s", text: "t" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect((error as Error).message).toContain(`SMTP_URL (127.0.0.1:${closed.port})`);
    expect((error as Error).message).not.toContain("hunter2");
    expect(JSON.stringify(error)).not.toContain("hunter2");

    process.env.SMTP_URL = "smtp://mailer:hunter2-secret@[not-a-host";
    const malformed = await sendMail({ to: "a@example.com", subject: "s", text: "t" }).catch((e: unknown) => e);
    expect((malformed as Error).message).toMatch(/SMTP_URL is not a valid URL/);
    expect((malformed as Error).message).not.toContain("hunter2");
  });
});

describe("sendMail without SMTP_URL (the outbox)", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "countersign-mail-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("writes an owner-only .eml to DATA_DIR/outbox holding the link, and logs one line with the link", async () => {
    delete process.env.SMTP_URL;
    process.env.DATA_DIR = dataDir;
    const link = tokenLink("/reset-password");
    const message = passwordResetMessage({ link, expiresAt: new Date(Date.now() + 30 * MINUTE), requestedByAdmin: true });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});

    const result = await sendMail({ to: "member@example.com", ...message });

    expect(result.delivery).toBe("outbox");
    const files = await readdir(path.join(dataDir, "outbox"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]+\.eml$/);
    expect(result.file).toBe(path.join(dataDir, "outbox", files[0]!));
    expect((await stat(result.file!)).mode & 0o777).toBe(0o600);

    const saved = parseMail(await readFile(result.file!, "utf8"));
    expect(saved.links).toEqual([link]);
    expect(saved.subject).toBe("Reset your Countersign password");
    expect(saved.text).toContain("An administrator of your organization started a password reset");
    expect(saved.text).toContain("valid for 30 minutes");

    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith(`[mail] to member@example.com: Reset your Countersign password — ${link} (saved ${result.file})`);
  });

  it("without a link the log line names only recipient, subject and file; the body is never logged", async () => {
    delete process.env.SMTP_URL;
    process.env.DATA_DIR = dataDir;
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const result = await sendMail({ to: "x@example.com", subject: "Hello", text: "secret body text" });
    expect(log.mock.calls).toEqual([[`[mail] to x@example.com: Hello (saved ${result.file})`]]);
  });
});

describe("mail content", () => {
  it("HTML escapes every interpolated value: a <script> org name is shown as text, never run", () => {
    const link = "https://accounts.example.com/invitations/accept?token=abc&org=x";
    const message = invitationMessage({ orgName: "<script>alert(1)</script>", inviterName: `"Eve" <eve@evil.example>`, link, expiresAt: inOneWeek() });
    expect(message.html).not.toContain("<script>");
    expect(message.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(message.html).toContain("&quot;Eve&quot; &lt;eve@evil.example&gt;");
    expect(message.html.match(/<a href=/g)).toHaveLength(1);
    expect(message.html).toContain(`<a href="https://accounts.example.com/invitations/accept?token=abc&amp;org=x"`);
    expect(message.html.split("accounts.example.com")).toHaveLength(2);
    expect(extractLinks(message.text)).toEqual([link]);
  });

  it("a line break in a name cannot forge lines in the subject or the text", () => {
    const message = invitationMessage({ orgName: "Acme\r\nBcc: victim@example.com", inviterName: "Eve\n\nhttps://evil.example", link: "https://a.example/x", expiresAt: inOneWeek() });
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.text).not.toMatch(/^Bcc:/m);
    expect(message.text).not.toMatch(/^https:\/\/evil/m);
  });

  it("says how long the link is valid", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const later = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
    expect(describeValidity(later(30), now)).toBe("30 minutes");
    expect(describeValidity(later(1), now)).toBe("1 minute");
    expect(describeValidity(later(60), now)).toBe("1 hour");
    expect(describeValidity(later(90), now)).toBe("90 minutes");
    expect(describeValidity(later(150), now)).toBe("2 hours");
    expect(describeValidity(later(24 * 60), now)).toBe("1 day");
    expect(describeValidity(later(7 * 24 * 60), now)).toBe("7 days");
    expect(describeValidity(new Date(later(30).getTime() - 5), now)).toBe("30 minutes");
  });

  it("the reset mail says an ignored mail leaves the password unchanged, for self-service and admin-started resets", () => {
    const link = "https://accounts.example.com/reset-password?token=t";
    for (const requestedByAdmin of [false, true]) {
      const message = passwordResetMessage({ link, expiresAt: new Date(Date.now() + 30 * MINUTE), requestedByAdmin });
      expect(message.text).toContain("If you did not ask for this, ignore this email; your password stays the same.");
      expect(message.html).toContain("If you did not ask for this, ignore this email; your password stays the same.");
      expect(extractLinks(message.text)).toEqual([link]);
      expect(message.html.match(/<a href=/g)).toHaveLength(1);
    }
  });
});

describe("APP_URL: links come from configuration, never from the request's Host header", () => {
  it("rejects an APP_URL that is not an absolute http(s) URL, naming APP_URL", () => {
    for (const bad of ["javascript:alert(1)", "ftp://files.example.com", "accounts.example.com", "https://user:pw@accounts.example.com"]) {
      process.env.APP_URL = bad;
      expect(() => appUrl(), bad).toThrow(/APP_URL/);
      expect(() => appLink("/x"), bad).toThrow(/APP_URL/);
    }
  });

  it("defaults to http://localhost:PORT", () => {
    delete process.env.APP_URL;
    delete process.env.PORT;
    expect(appLink("/sign-in")).toBe("http://localhost:3000/sign-in");
    process.env.PORT = "4123";
    expect(appUrl().href).toBe("http://localhost:4123/");
  });

  it("keeps APP_URL's base path, encodes params, and a path cannot move the link to another host", () => {
    process.env.APP_URL = "https://accounts.example.com/countersign/";
    expect(appLink("/reset-password", { token: "a b&c=d" })).toBe("https://accounts.example.com/countersign/reset-password?token=a+b%26c%3Dd");
    expect(new URL(appLink("//evil.example/steal")).host).toBe("accounts.example.com");
    expect(() => appLink("/reset?token=x")).toThrow(/params/);
  });
});
