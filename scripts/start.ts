/**
 * `npm start`: database (DATABASE_URL, or embedded PostgreSQL in DATA_DIR), migrations, demo
 * data on an empty database, a production build if needed, then the HTTP server.
 */
import "./lib/require-node-24";
import { performance } from "node:perf_hooks";
import { DataDirInUseError } from "./lib/instance-lock";
import { parseTrustedProxies } from "@/lib/core/client-ip";
import { ensureAuthSecret } from "./lib/auth-secret";
import { ensureAuditSigningKey } from "./lib/audit-signing-key";
import { ensureMfaEncryptionKey } from "./lib/mfa-encryption-key";
import { runCheckpointer } from "./lib/run-checkpointer";
import { runJobs } from "./lib/run-jobs";
import { ensureBuild } from "./lib/ensure-build";
import { openDatabase, type OpenDatabase } from "./lib/open-database";
import { releaseEmbeddedPostgresSignalHooks } from "./lib/embedded-postgres";
import { prepareDatabase } from "./lib/prepare-database";
import { serveHttp } from "./lib/serve-http";
import { closeDb } from "@/db/client";
import { demoPersonas, DEMO_PASSWORD, supplierPersonas } from "@/lib/demo/seed-demo";
import { demoSeedRefusal, isLoopbackHost } from "@/lib/demo/seed-guard";
import { mailLogRefusal } from "@/lib/mail/send-mail";

const log = (line: string) => console.log(line);
const started = performance.now();

async function main() {
  const dev = process.argv.includes("--dev");
  const port = Number(process.env.PORT ?? 3000);
  const hostname = process.env.HOST ?? "127.0.0.1";
  // Configuration errors first, before the database and the build.
  try {
    parseTrustedProxies(process.env.TRUSTED_PROXIES);
  } catch (error) {
    fail((error as Error).message);
  }
  let database: OpenDatabase | undefined;
  try {
    database = await openDatabase("server", log);
  } catch (error) {
    if (error instanceof DataDirInUseError) fail(error.message);
    fail((error as Error).message);
  }
  let http: Awaited<ReturnType<typeof serveHttp>> | undefined;
  let stopCheckpointer = () => {};
  let stopJobs: () => Promise<void> = async () => {};
  let stopping = false;
  // In order: no new requests, the ones in flight finish, then the app's pool and the database.
  // Closing the database first failed every request still running with "connection closed".
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    stopCheckpointer();
    await http?.close().catch(() => {});
    // Before the pool closes: a sweep in flight finishes (or gives up after 10 s).
    await stopJobs().catch(() => {});
    await closeDb().catch(() => {});
    await database?.close().catch(() => {});
    process.exit(code);
  };
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  process.once("SIGHUP", () => void shutdown(0));
  // This shutdown stops the cluster last; embedded-postgres's own hooks would stop it first.
  releaseEmbeddedPostgresSignalHooks();

  try {
    process.env.DATABASE_URL = database.url;
    ensureAuthSecret(database.dataDir);
    ensureAuditSigningKey(database.dataDir);
    ensureMfaEncryptionKey(database.dataDir);
    process.env.AUTH_TRUST_HOST ??= "true";
    // Links in mail (reset, invitation) and the passkey relying party come from APP_URL, never
    // from a request's Host header. Passkeys need a host name, so loopback defaults to localhost.
    process.env.APP_URL ??= `http://${isLoopbackHost(hostname) || isAnyAddress(hostname) ? "localhost" : hostname}:${port}`;
    // Without SMTP_URL, mail goes to DATA_DIR/outbox (and the link to this log). In production
    // (npm start) that needs MAIL_LOG_LINKS=1, which only the demo gets by default: the embedded
    // database on a loopback host.
    process.env.DATA_DIR ??= database.dataDir;
    if (database.embedded && isLoopbackHost(hostname)) process.env.MAIL_LOG_LINKS ??= "1";
    const mailRefusal = dev ? null : mailLogRefusal({ ...process.env, NODE_ENV: "production" });
    if (mailRefusal) log(`Warning: ${mailRefusal} Invitation and password-reset mail fails until then.`);
    const seedIfEmpty = process.env.SEED_DEMO === "1" || (database.embedded && process.env.SEED_DEMO !== "0");
    const { seeded } = await prepareDatabase(database.url, { seedIfEmpty, seedRefusal: demoSeedRefusal(hostname, process.env.SEED_DEMO), log });
    if (!dev) ensureBuild(process.cwd(), log);
    http = await serveHttp({ dir: process.cwd(), dev, hostname, port });
    stopCheckpointer = runCheckpointer(log);
    stopJobs = await runJobs(log);
    const url = process.env.APP_URL;
    log("");
    log(`Countersign is running at ${url}  (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    log(`Database: ${database.embedded ? `embedded PostgreSQL in ${database.dataDir}` : "DATABASE_URL"}${seeded ? ", demo data loaded" : ""}`);
    if (seeded || (database.embedded && process.env.SEED_DEMO !== "0")) {
      log(`Demo sign-ins (password for each: ${DEMO_PASSWORD}):`);
      for (const p of demoPersonas) log(`  ${p.email.padEnd(20)} ${p.persona}`);
      for (const p of supplierPersonas) log(`  ${p.email.padEnd(20)} ${p.persona}`);
      log("  (admin-class roles set up two-step verification at first sign-in: have an authenticator app ready;");
      log("   that is the Acme admin, manager and auditor, and Northwind's ops, whose Operations role manages the catalog and accounts)");
    }
    log("Press Ctrl+C to stop.");
  } catch (error) {
    console.error(`Countersign could not start: ${(error as Error).message}`);
    await shutdown(1);
  }
}

// 0.0.0.0 and :: name no host a browser could use: links default to localhost for them too.
function isAnyAddress(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

void main();
