/**
 * What an authenticated request costs on top of the app's bare handling, in one run: the launcher
 * is started on a fresh embedded database with the demo data, then autocannon drives, one after
 * the other and twice each (the better run counts, against the machine's noise):
 *   - GET /api/health (no auth, one `select 1` plus the migration check): the app's floor;
 *   - GET /api/v1/orders?limit=1 with a buyer's API token: token, member, access, one order;
 *   - GET /orgs/acme/orders?limit=1, the dashboard page, with the buyer's session cookie.
 * The ratios to /api/health are what the per-request set-up costs (target for the API read:
 * >= 0.5). Run: npx tsx bench/http.ts [--quick] [--connections 16] [--seconds 10]. Prints a table,
 * then one JSON line. Uses PORT 3299 and a data dir under .test-data/bench.
 */
import "../scripts/lib/require-node-24";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, connections: { type: "string", default: "16" }, seconds: { type: "string" } } });
const quick = values.quick;
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds ?? (quick ? 4 : 10));
const PORT = 3299;
const BASE = `http://127.0.0.1:${PORT}`;
const log = (line: string) => process.stderr.write(`${line}\n`);

const root = path.resolve(".test-data/bench");
mkdirSync(root, { recursive: true, mode: 0o755 });
const dataDir = mkdtempSync(path.join(root, "http-"));
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: "", PORT: String(PORT), APP_URL: BASE, NEXT_TELEMETRY_DISABLED: "1" };

async function startApp(): Promise<ChildProcess> {
  log("starting the app on a fresh embedded database (builds first if the sources changed)...");
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    if (await fetch(`${BASE}/api/health`).then((r) => r.status === 200, () => false)) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the app did not start within 10 minutes");
}

/** A token for the demo buyer, made by the operator CLI against the running launcher's database. */
function createBuyerToken(): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "token", "create", "--org", "acme", "--email", "buyer@acme.test", "--name", "bench", "--json"], { env, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`token create failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { token: string }).token;
}

/** The buyer's session cookie, through next-auth's own endpoints (CSRF, then the credentials POST). */
async function signInBuyer(): Promise<string> {
  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const jar = cookiesOf(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const body = new URLSearchParams({ csrfToken, email: "buyer@acme.test", password: "acme-demo-2026" });
  const signIn = await fetch(`${BASE}/api/auth/callback/credentials`, { method: "POST", body, headers: { cookie: jar, "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
  const session = cookiesOf(signIn).split("; ").find((c) => c.startsWith("countersign.session="));
  if (!session) throw new Error(`sign-in answered ${signIn.status} without a session cookie`);
  return session;
}

function cookiesOf(response: Response): string {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

interface Rate {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function drive(url: string, headers: Record<string, string> = {}): Promise<Rate> {
  let best: Rate | null = null;
  for (let round = 0; round < 2; round++) {
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
    const rate = { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
    if (rate.errors > 0) throw new Error(`${url}: ${rate.errors} errors or non-2xx answers`);
    if (!best || rate.rps > best.rps) best = rate;
  }
  return best!;
}

const app = await startApp();
try {
  const token = createBuyerToken();
  const cookie = await signInBuyer();
  // One warm-up pass each, so the first measured seconds are not compiling or filling caches.
  for (const [url, headers] of [[`${BASE}/api/health`, {}], [`${BASE}/api/v1/orders?limit=1`, { authorization: `Bearer ${token}` }], [`${BASE}/orgs/acme/orders?limit=1`, { cookie }]] as const) {
    await autocannon({ url, connections: 4, amount: 200, headers });
  }
  const load = loadavg()[0]!.toFixed(1);
  log(`measuring, ${CONNECTIONS} connections, ${SECONDS} s a run, best of 2 (load average ${load})...`);
  const health = await drive(`${BASE}/api/health`);
  const orders = await drive(`${BASE}/api/v1/orders?limit=1`, { authorization: `Bearer ${token}` });
  const page = await drive(`${BASE}/orgs/acme/orders?limit=1`, { cookie });

  const row = (name: string, r: Rate) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.rps / health.rps).toFixed(2)} |`;
  console.log(`\n| request (${CONNECTIONS} connections) | req/s | p50 ms | p99 ms | × /api/health |\n| --- | ---: | ---: | ---: | ---: |`);
  console.log(row("GET /api/health", health));
  console.log(row("GET /api/v1/orders?limit=1 (API token)", orders));
  console.log(row("GET /orgs/acme/orders?limit=1 (dashboard page, session)", page));
  console.log(`\nload average at start ${load}`);
  console.log(
    JSON.stringify({
      bench: "http",
      quick,
      connections: CONNECTIONS,
      health_rps: Math.round(health.rps),
      orders_rps: Math.round(orders.rps),
      orders_p50_ms: orders.p50,
      page_rps: Math.round(page.rps),
      orders_over_health: Number((orders.rps / health.rps).toFixed(3)),
      page_over_health: Number((page.rps / health.rps).toFixed(3)),
    }),
  );
} finally {
  app.kill("SIGINT");
  await new Promise((r) => app.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
