import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { passwordResetMessage } from "@/lib/mail/messages";
import { MailDeliveryError, sendMail } from "@/lib/mail/send-mail";

/**
 * Without SMTP_URL, mail lands in DATA_DIR/outbox and its link in the log: the demo's way to work
 * without a mail server. In production a link in the log is a live credential in every log
 * collector, so there it takes MAIL_LOG_LINKS=1 (which the launcher sets only for the demo).
 */
const CHECKLIST = "No secrets in entries";
const KEYS = ["SMTP_URL", "MAIL_LOG_LINKS", "NODE_ENV", "DATA_DIR", "APP_URL"] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "countersign-mail-log-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else (process.env as Record<string, string>)[k] = saved[k];
  }
});

const reset = () => passwordResetMessage({ link: "https://accounts.example.com/reset-password?token=live-secret-token", expiresAt: new Date(Date.now() + 30 * 60_000), requestedByAdmin: false });
const setEnv = (env: Partial<Record<(typeof KEYS)[number], string>>) => {
  for (const k of ["SMTP_URL", "MAIL_LOG_LINKS"] as const) delete process.env[k];
  Object.assign(process.env, { DATA_DIR: dataDir, ...env });
};
const outbox = async () => (await readdir(path.join(dataDir, "outbox")).catch(() => [] as string[])).length;

describe(`${CHECKLIST}: in production, mailed links are not printed to the log unless MAIL_LOG_LINKS=1`, () => {
  it("NODE_ENV=production, no SMTP_URL: sendMail refuses, naming both ways out, and neither logs nor stores the link", async () => {
    setEnv({ NODE_ENV: "production" });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const before = await outbox();
    const error = await sendMail({ to: "member@example.com", ...reset() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect((error as Error).message).toBe("Mail is not configured: SMTP_URL is unset, and in production links are not printed to the log. Set SMTP_URL, or MAIL_LOG_LINKS=1 to print links to the log.");
    expect(log).not.toHaveBeenCalled();
    expect(await outbox()).toBe(before);
  });

  it("the reset flow's delivery then logs the refusal, never the link, and answers null", async () => {
    setEnv({ NODE_ENV: "production", MAIL_LOG_LINKS: "0" });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await deliverMessage("member@example.com", reset())).toBeNull();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]![0])).toContain("MAIL_LOG_LINKS=1");
    expect(String(errors.mock.calls[0]![0])).not.toContain("live-secret-token");
  });

  it("with MAIL_LOG_LINKS=1, or outside production, the outbox and the log line work as before", async () => {
    for (const env of [{ NODE_ENV: "production", MAIL_LOG_LINKS: "1" }, { NODE_ENV: "development" }]) {
      setEnv(env);
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      const result = await sendMail({ to: "member@example.com", ...reset() });
      expect(result.delivery).toBe("outbox");
      expect(log).toHaveBeenCalledWith(expect.stringContaining("live-secret-token"));
      log.mockRestore();
    }
  });
});
