import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
export const e2eDataDir = ".test-data/e2e";
export const e2eSmtpPort = Number(process.env.E2E_SMTP_PORT ?? 3225);

// Debian's Chromium, never a downloaded browser. The flags keep it from calling home on a
// machine with no internet, and allow running as root in CI containers.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    // No video: it needs an ffmpeg build that Playwright would download. Traces cover failures.
    contextOptions: { reducedMotion: "reduce" },
    launchOptions: {
      executablePath: chromiumPath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    // A fresh data dir every run: the launcher creates the cluster, migrates and seeds it.
    command: `rm -rf ${e2eDataDir} && npm start`,
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    // SSO_ALLOW_INSECURE_HTTP: the SSO spec's IdPs run on plain-http loopback (the setting meant for tests).
    // Mail goes to the SMTP sink the secure-sign-in spec starts on that port (nodemailer connects
    // per message, so the sink only has to be up when a test sends mail).
    env: { PORT: String(port), DATA_DIR: e2eDataDir, SSO_ALLOW_INSECURE_HTTP: "1", DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1", APP_URL: `http://127.0.0.1:${port}`, SMTP_URL: `smtp://127.0.0.1:${e2eSmtpPort}` },
  },
});
