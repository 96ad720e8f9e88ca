import { e2eSmtpPort } from "../../playwright.config";
import { startSmtpSink, type SmtpSink } from "../../tests/support/smtp-sink";

/**
 * The SMTP sink the e2e server sends to (playwright.config.ts sets SMTP_URL to this port). A test
 * that expects mail starts it, and closes it when done.
 */
export function startE2eMailSink(): Promise<SmtpSink> {
  return startSmtpSink({ port: e2eSmtpPort });
}
