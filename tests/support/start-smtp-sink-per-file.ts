import { afterAll, beforeAll } from "vitest";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

/**
 * One SMTP sink for a whole test file, with SMTP_URL pointing at it while the file runs. The
 * returned handle reads through to the sink started in beforeAll.
 */
export function startSmtpSinkPerFile(): SmtpSink {
  let sink: SmtpSink | null = null;
  beforeAll(async () => {
    sink = await startSmtpSink();
    process.env.SMTP_URL = sink.url;
  });
  afterAll(async () => {
    delete process.env.SMTP_URL;
    await sink?.close();
  });
  const started = (): SmtpSink => {
    if (!sink) throw new Error("The SMTP sink starts in beforeAll; use it inside a test.");
    return sink;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get messages() {
      return started().messages;
    },
    waitForMail: (predicate, timeoutMs) => started().waitForMail(predicate, timeoutMs),
    close: () => started().close(),
  };
}
