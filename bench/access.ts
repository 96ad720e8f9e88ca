/**
 * Access-model benchmark: permission checks (Countersign vs casbin vs @casl/ability, on the same
 * data, answers compared) and the scoped order list on real PostgreSQL, at 10k branches, 100k
 * members, 50 roles and 1M orders. A script, not a test: prints markdown tables (bench/README.md).
 *
 * Run: npx tsx bench/access.ts [--quick] [--keep] [--reuse] [--members N] [--checks N] [--list-members N] [--rounds N]
 *   --quick       10,000 members and 100,000 orders, fewer samples and rounds (under 90 s);
 *                 the last line is one JSON object with the figures either way.
 *   DATABASE_URL  server to use (default postgres://postgres@127.0.0.1:5432/test); the bench
 *                 creates, fills and drops its own database cs_bench_access on it.
 *   --keep        keep cs_bench_access afterwards; --reuse skips generation when it is already
 *                 populated (and also keeps it).
 */
import { cpus, loadavg } from "node:os";
import { closeDb, getDb } from "@/db/client";
import { can, scopeOf, type Access } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { loadAccess } from "@/lib/access/load-access";
import { buildTree, compareAnswers, ENGINES, runCold, runWarm, runWarmSharedCasbin, summarizeCold, summarizeWarm, type Engine, type MemberChecks, type WarmEngine, type WarmRun, type WarmSummary } from "./access/checks";
import { BENCH_DB, benchDatabaseExists, benchUrls, createBenchDatabase, dropBenchDatabase, ownerClient } from "./access/database";
import { buildCasbin, casbinPolicyLines } from "./access/engines";
import { BRANCH_COUNT, generateData, isPopulated, LEAF_LEVEL, MEMBER_COUNT, ORDER_COUNT, ORG_ID, ROLE_COUNT } from "./access/generate";
import { DEEP_ROWS, deepCursor, describeScope, explainList, principalFor, proposalClient, scopeLabel, timeList, timeProposedList, type ScopeShape } from "./access/list";
import { md5Uuid, sampleIndexes, seededRandom } from "./access/random";
import { fmt, fmtInt, markdownTable, msSince, nowNs, percentile, ratio } from "./access/stats";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
function numberArg(name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}
const quick = flag("--quick");
const SAMPLE_MEMBERS = numberArg("--members", quick ? 300 : 2000);
const CHECKS_PER_MEMBER = numberArg("--checks", 100);
const LIST_MEMBERS = numberArg("--list-members", quick ? 20 : 100);
const ROUNDS = numberArg("--rounds", quick ? 3 : 7);
const SHARED_CASBIN_CHECKS = 2;
const FIXED_CASE_REPEATS = 20;
/** A fixed list case stops repeating after this long (at least 5 runs): the slow ones take seconds a run. */
const FIXED_CASE_BUDGET_MS = 15_000;
const reuse = flag("--reuse");
const keep = flag("--keep") || reuse;

const log = (message: string) => process.stderr.write(`${message}\n`);
const started = nowNs();
const loadStart = loadavg().map((l) => l.toFixed(1)).join(" / ");
const elapsed = () => `${(msSince(started) / 1000).toFixed(0)} s`;

const { serverUrl, benchUrl } = benchUrls();
let generatedSeconds: number | null = null;
if (reuse && (await benchDatabaseExists(serverUrl)) && (await withOwner(isPopulated))) {
  log(`reusing ${benchUrl.replace(/\/\/[^@]*@/, "//")}`);
} else {
  log(`creating cs_bench_access and generating data (${MEMBER_COUNT.toLocaleString("en-US")} members, ${ORDER_COUNT.toLocaleString("en-US")} orders)...`);
  const t = nowNs();
  await createBenchDatabase(serverUrl, benchUrl);
  await withOwner((sql) => generateData(sql, log));
  generatedSeconds = msSince(t) / 1000;
  log(`generated in ${generatedSeconds.toFixed(0)} s`);
}

async function withOwner<T>(run: (sql: ReturnType<typeof ownerClient>) => Promise<T>): Promise<T> {
  const sql = ownerClient(benchUrl);
  try {
    return await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

// The app's own pool (role countersign_app), pointed at the bench database. Sampling and access
// loading look across the org, as the operator; the timed list queries switch the bypass off
// per transaction and run under row-level security like a request (bench/access/list.ts).
process.env.DATABASE_URL = benchUrl;
process.env.DATABASE_RLS_BYPASS = "1";
const db = getDb();
// Bench-only client for the proposed list query (see bench/access/list.ts).
const proposalSql = proposalClient(benchUrl);

try {
  const branchRows = await withOwner((sql) => sql<{ path: string; parentPath: string | null }[]>`select b.path, p.path as "parentPath" from branches b left join branches p on p.id = b.parent_id where b.org_id = ${ORG_ID}`);
  const tree = buildTree(branchRows);
  const sample = sampleIndexes(seededRandom(2024), MEMBER_COUNT, SAMPLE_MEMBERS).map((ordinal) => ({ ordinal, membershipId: md5Uuid(`m:${ordinal}`) }));

  // ---- permission checks ----------------------------------------------------------------------
  log(`[${elapsed()}] cold path: ${SAMPLE_MEMBERS} members x 3 engines (load + build + first check)`);
  await runCold(db, tree, sample.slice(0, 50), CHECKS_PER_MEMBER, 99); // JIT and pool warm-up, discarded
  const { members, cold, firstCheckMismatches } = await runCold(db, tree, sample, CHECKS_PER_MEMBER, 1);

  log(`[${elapsed()}] comparing ${fmtInt(SAMPLE_MEMBERS * CHECKS_PER_MEMBER)} checks across engines`);
  const correctness = compareAnswers(members);
  correctness.mismatches += firstCheckMismatches;
  for (const e of correctness.examples) log(`  MISMATCH ${e}`);

  log(`[${elapsed()}] warm checks: ${ROUNDS} rounds (casbin: 1, it is ~1000x slower)`);
  const warmEngines: readonly WarmEngine[] = ["countersign", "proposed", "casl", "casbin"];
  const runs: Record<WarmEngine, WarmRun[]> = { countersign: [], proposed: [], casbin: [], casl: [] };
  for (const engine of warmEngines) runWarm(engine, members.slice(0, 200)); // warm-up, discarded
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < warmEngines.length; k++) {
      const engine = warmEngines[(round + k) % warmEngines.length]!;
      if (engine === "casbin" && runs.casbin.length > 0) continue;
      runs[engine].push(runWarm(engine, members));
    }
  }
  const warm = Object.fromEntries(warmEngines.map((e) => [e, summarizeWarm(runs[e])])) as Record<WarmEngine, WarmSummary>;
  const coldSummary = Object.fromEntries(ENGINES.map((e) => [e, summarizeCold(cold, e)])) as Record<Engine, ReturnType<typeof summarizeCold>>;

  log(`[${elapsed()}] casbin, one shared enforcer for all ${SAMPLE_MEMBERS} members`);
  const tShared = nowNs();
  const sharedEnforcer = await buildCasbin(members.map((m) => m.raw));
  const sharedBuildMs = msSince(tShared);
  const sharedLines = casbinPolicyLines(members.map((m) => m.raw));
  runWarmSharedCasbin(sharedEnforcer, members.slice(0, 20), 2); // warm-up
  const shared = summarizeWarm([runWarmSharedCasbin(sharedEnforcer, members, SHARED_CASBIN_CHECKS)]);
  let sharedMismatches = 0;
  for (const m of members) {
    for (let j = 0; j < SHARED_CASBIN_CHECKS; j++) {
      if (sharedEnforcer.enforceSync(`member:${m.membershipId}`, m.paths[j]!, m.perms[j]!) !== can(m.access, m.perms[j]!, m.paths[j]!)) sharedMismatches++;
    }
  }
  correctness.mismatches += sharedMismatches;

  // What expanding grants to every branch of their subtree would cost casbin instead of keyMatch.
  const expansion = await withOwner(async (sql) => {
    const subtree = new Map<string, number>();
    const countSubtree = (path: string): number => {
      const cached = subtree.get(path);
      if (cached !== undefined) return cached;
      // The grant's own domain (for "" the org level) plus every branch below it.
      const n = 1 + (tree.children.get(path) ?? []).reduce((a, c) => a + countSubtree(c), 0);
      subtree.set(path, n);
      return n;
    };
    const rows = await sql<{ path: string | null; n: number }[]>`select b.path, count(*)::int as n from grants g left join branches b on b.id = g.branch_id group by b.path`;
    return { grants: rows.reduce((a, r) => a + r.n, 0), lines: rows.reduce((a, r) => a + r.n * countSubtree(r.path ?? ""), 0) };
  });

  // ---- scoped order list ----------------------------------------------------------------------
  log(`[${elapsed()}] scoped order list`);
  const listSample = members.filter((m) => scopeOf(m.access, "orders:read").kind !== "none").slice(0, LIST_MEMBERS);
  const principalOf = (m: MemberChecks) => principalFor({ membershipId: m.membershipId, userId: md5Uuid(`u:${m.ordinal}`), label: `user${m.ordinal}@bench.countersign.test` }, m.access);

  // Fixed cases: an org-root admin, a single region grant, a single leaf grant (with and without orders:read-own).
  const candidates = await withOwner((sql) =>
    sql<{ membershipId: string; userId: string; email: string }[]>`
      select m.id as "membershipId", m.user_id as "userId", u.email
      from grants g join memberships m on m.id = g.membership_id join users u on u.id = m.user_id left join branches b on b.id = g.branch_id
      where g.membership_id in (select membership_id from grants group by membership_id having count(*) = 1)
        and (g.branch_id is null or (length(b.path) - 1) / 37 in (1, ${LEAF_LEVEL}))
      order by m.id limit 5000`,
  );
  const fixed: Array<{ label: string; principal: Principal }> = [];
  const want: Array<{ label: string; test: (s: ScopeShape) => boolean }> = [
    { label: "org-root admin", test: (s) => s.read === "all" },
    { label: "single region grant, orders:read only", test: (s) => s.read === 1 && s.depth === 1 && !s.readOwn },
    { label: "single region grant, orders:read + read-own", test: (s) => s.read === 1 && s.depth === 1 && s.readOwn },
    { label: "single leaf grant, orders:read only", test: (s) => s.read === 1 && s.depth === LEAF_LEVEL && !s.readOwn },
    { label: "single leaf grant, orders:read + read-own", test: (s) => s.read === 1 && s.depth === LEAF_LEVEL && s.readOwn },
  ];
  const accessCache = new Map<string, Access>();
  for (const w of want) {
    for (const c of candidates) {
      const access = accessCache.get(c.membershipId) ?? (await loadAccess(db, c.membershipId));
      accessCache.set(c.membershipId, access);
      if (w.test(describeScope(access))) {
        fixed.push({ label: w.label, principal: principalFor({ membershipId: c.membershipId, userId: c.userId, label: c.email }, access) });
        break;
      }
    }
  }

  interface ListResult {
    label: string;
    scope: string;
    runs: number;
    first: number[];
    deep: number[];
    proposedFirst: number[];
    proposedDeep: number[];
    note: string;
  }
  let proposalMismatches = 0;
  const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
  for (const m of listSample.slice(0, 5)) {
    await timeList(db, principalOf(m));
    await timeProposedList(proposalSql, principalOf(m));
  } // warm-up
  const sampled: ListResult & { readOwn: ListResult; readOnly: ListResult } = {
    ...emptyResult(`${listSample.length} sampled members with orders:read`, "mixed"),
    readOwn: emptyResult("… of which also orders:read-own", "subtrees + own"),
    readOnly: emptyResult("… of which orders:read only", "subtrees or all"),
  };
  function emptyResult(label: string, scope: string): ListResult {
    return { label, scope, runs: 0, first: [], deep: [], proposedFirst: [], proposedDeep: [], note: "" };
  }
  let deepFull = 0;
  let worst: { first: { ms: number; m: MemberChecks } | null; deep: { ms: number; m: MemberChecks; cursor: string } | null } = { first: null, deep: null };
  let worstReadOnlyDeep: { ms: number; m: MemberChecks; cursor: string } | null = null;
  for (const m of listSample) {
    const principal = principalOf(m);
    const group = describeScope(m.access).readOwn ? sampled.readOwn : sampled.readOnly;
    const f = await timeList(db, principal);
    const pf = await timeProposedList(proposalSql, principal);
    if (!sameIds(f.ids, pf.ids)) proposalMismatches++;
    for (const r of [sampled, group]) {
      r.runs++;
      r.first.push(f.ms);
      r.proposedFirst.push(pf.ms);
    }
    if (!worst.first || f.ms > worst.first.ms) worst = { ...worst, first: { ms: f.ms, m } };
    const { cursor, rowsBefore } = await deepCursor(proposalSql, principal);
    if (cursor) {
      const d = await timeList(db, principal, cursor);
      const pd = await timeProposedList(proposalSql, principal, cursor);
      if (!sameIds(d.ids, pd.ids)) proposalMismatches++;
      for (const r of [sampled, group]) {
        r.deep.push(d.ms);
        r.proposedDeep.push(pd.ms);
      }
      if (rowsBefore >= DEEP_ROWS) deepFull++;
      if (!worst.deep || d.ms > worst.deep.ms) worst = { ...worst, deep: { ms: d.ms, m, cursor } };
      if (group === sampled.readOnly && (!worstReadOnlyDeep || d.ms > worstReadOnlyDeep.ms)) worstReadOnlyDeep = { ms: d.ms, m, cursor };
    }
  }
  sampled.note = `deep page reached for ${sampled.deep.length} (${deepFull} at ${fmtInt(DEEP_ROWS)} rows)`;
  const fixedResults: ListResult[] = [];
  for (const c of fixed) {
    const r = emptyResult(c.label, scopeLabel(describeScope(c.principal.access)));
    const { cursor, rowsBefore, listRows } = await deepCursor(proposalSql, c.principal);
    const caseStart = nowNs();
    for (let i = 0; i < FIXED_CASE_REPEATS && (i < 5 || msSince(caseStart) < FIXED_CASE_BUDGET_MS); i++) {
      r.runs++;
      const f = await timeList(db, c.principal);
      const pf = await timeProposedList(proposalSql, c.principal);
      if (!sameIds(f.ids, pf.ids)) proposalMismatches++;
      r.first.push(f.ms);
      r.proposedFirst.push(pf.ms);
      if (cursor) {
        const d = await timeList(db, c.principal, cursor);
        const pd = await timeProposedList(proposalSql, c.principal, cursor);
        if (!sameIds(d.ids, pd.ids)) proposalMismatches++;
        r.deep.push(d.ms);
        r.proposedDeep.push(pd.ms);
      }
    }
    r.note = listRows === null ? "" : cursor ? `list has ${fmtInt(listRows)} rows; deep = after ${fmtInt(rowsBefore)}` : `list has ${fmtInt(listRows)} rows (one page)`;
    fixedResults.push(r);
  }

  log(`[${elapsed()}] EXPLAIN ANALYZE of the slowest cases`);
  const explains: Array<{ title: string; plan: string }> = [];
  if (worst.first) explains.push({ title: `slowest sampled first page (${fmt(worst.first.ms)} ms, member ${worst.first.m.ordinal}, ${scopeLabel(describeScope(worst.first.m.access))})`, plan: await explainList(benchUrl, principalOf(worst.first.m)) });
  if (worst.deep) explains.push({ title: `slowest sampled deep page (${fmt(worst.deep.ms)} ms, member ${worst.deep.m.ordinal}, ${scopeLabel(describeScope(worst.deep.m.access))})`, plan: await explainList(benchUrl, principalOf(worst.deep.m), worst.deep.cursor) });
  const ro = worstReadOnlyDeep as { ms: number; m: MemberChecks; cursor: string } | null;
  if (ro) explains.push({ title: `slowest sampled deep page without read-own (${fmt(ro.ms)} ms, member ${ro.m.ordinal}, ${scopeLabel(describeScope(ro.m.access))})`, plan: await explainList(benchUrl, principalOf(ro.m), ro.cursor) });
  for (const c of fixed) {
    const { cursor } = await deepCursor(proposalSql, c.principal);
    explains.push({ title: `${c.label}: first page`, plan: await explainList(benchUrl, c.principal) });
    if (cursor) explains.push({ title: `${c.label}: deep page`, plan: await explainList(benchUrl, c.principal, cursor) });
  }

  // ---- report ---------------------------------------------------------------------------------
  const nsCell = (ns: number) => (ns < 10_000 ? `${fmtInt(ns)} ns` : `${fmt(ns / 1000)} µs`);
  const label: Record<WarmEngine, string> = { countersign: "Countersign `can`", proposed: "Countersign `can`, proposed prefix test (bench-only)", casbin: "casbin (per-member enforcer)", casl: "@casl/ability" };
  const out: string[] = [];
  out.push(`Data: 1 org, ${fmtInt(BRANCH_COUNT)} branches (depth ${LEAF_LEVEL}), ${fmtInt(MEMBER_COUNT)} members, ${ROLE_COUNT} roles (DAG), ${fmtInt(expansion.grants)} grants, ${fmtInt(ORDER_COUNT)} orders.` + (generatedSeconds !== null ? ` Generated in ${fmt(generatedSeconds, 0)} s.` : ""));
  out.push(`Checks: ${fmtInt(SAMPLE_MEMBERS)} sampled members × ${CHECKS_PER_MEMBER} checks = ${fmtInt(correctness.checks)} (${fmt((100 * correctness.allowed) / correctness.checks)} % allowed); **answers differing between engines: ${correctness.mismatches}** (also ${SHARED_CASBIN_CHECKS} checks/member on the shared casbin enforcer).`);
  out.push(`Machine: ${cpus().length} cores, load average ${loadStart} at the start and ${loadavg().map((l) => l.toFixed(1)).join(" / ")} at the end (1/5/15 min; other work was running).`);
  out.push("");
  out.push(`**Warm** (structure already in memory). checks/s: median of ${ROUNDS} rounds over all ${fmtInt(correctness.checks)} checks (casbin: 1 round); p50/p99: per-check mean of each member's batch of ${CHECKS_PER_MEMBER}, over all batches:`);
  out.push("");
  out.push(
    markdownTable(
      ["engine", "checks/s", "p50", "p99", "Countersign `can` × (checks/s)", "× (p50)", "proposed × (checks/s)", "× (p50)"],
      ["l", "r", "r", "r", "r", "r", "r", "r"],
      [...warmEngines.map((e) => [label[e], warm[e]] as const), [`casbin, one shared enforcer (${fmtInt(SAMPLE_MEMBERS)} members, ${fmtInt(sharedLines.g.length)} g lines; ${SHARED_CASBIN_CHECKS} checks/member)`, shared] as const].map(([name, w]) => [
        name,
        fmtInt(w.checksPerSecond),
        nsCell(w.p50Ns),
        nsCell(w.p99Ns),
        ratio(warm.countersign.checksPerSecond, w.checksPerSecond),
        ratio(w.p50Ns, warm.countersign.p50Ns),
        ratio(warm.proposed.checksPerSecond, w.checksPerSecond),
        ratio(w.p50Ns, warm.proposed.p50Ns),
      ]),
    ),
  );
  out.push("");
  out.push("**Cold** (per request: load the member's rows from PostgreSQL, build, first check; serial, one member at a time):");
  out.push("");
  out.push(
    markdownTable(
      ["engine", "checks/s", "p50", "p99", "build from rows p50", "build p99", "Countersign × (checks/s)", "Countersign × (build)"],
      ["l", "r", "r", "r", "r", "r", "r", "r"],
      ENGINES.map((e) => [
        label[e],
        fmtInt(coldSummary[e].checksPerSecond),
        `${fmt(coldSummary[e].p50Ms, 2)} ms`,
        `${fmt(coldSummary[e].p99Ms, 2)} ms`,
        `${fmt(coldSummary[e].buildP50Us)} µs`,
        `${fmt(coldSummary[e].buildP99Us)} µs`,
        e === "countersign" ? "1.0×" : ratio(coldSummary.countersign.checksPerSecond, coldSummary[e].checksPerSecond),
        e === "countersign" ? "1.0×" : ratio(coldSummary[e].buildP50Us, coldSummary.countersign.buildP50Us),
      ]),
    ),
  );
  out.push("");
  out.push(`casbin shared enforcer build (${fmtInt(sharedLines.p.length)} p + ${fmtInt(sharedLines.g.length)} g lines): ${fmt(sharedBuildMs)} ms. Expanding every grant to each branch of its subtree instead of keyMatch would take ${fmtInt(expansion.lines)} g lines for all ${fmtInt(expansion.grants)} grants.`);
  out.push("");
  out.push(`**Scoped order list** (listOrders as \`countersign_app\`, sort placed desc, 50 a page; deep page = the page after row ${fmtInt(DEEP_ROWS)} (or the last page of a shorter list), with a cursor built from that row):`);
  out.push("");
  const cell = (values: number[], p: number) => (values.length ? `${fmt(percentile(values, p))} ms` : "n/a");
  const listRow = (r: ListResult) => [r.label, r.scope, String(r.runs), cell(r.first, 50), cell(r.first, 95), cell(r.deep, 50), cell(r.deep, 95), cell(r.proposedFirst, 95), cell(r.proposedDeep, 95), r.note];
  out.push(
    markdownTable(
      ["case", "scope", "runs", "first p50", "first p95", "deep p50", "deep p95", "proposal: first p95", "proposal: deep p95", "note"],
      ["l", "l", "r", "r", "r", "r", "r", "r", "r", "l"],
      [listRow(sampled), listRow(sampled.readOwn), listRow(sampled.readOnly), ...fixedResults.map(listRow)],
    ),
  );
  out.push("");
  out.push(`Proposal columns: bench-only SQL (row-value keyset + UNION for read-own, see bench/access/list.ts), not the app's code. Pages where it returned different rows from listOrders: ${proposalMismatches}.`);
  console.log(`\n${out.join("\n")}\n`);
  for (const e of explains) console.log(`\n#### ${e.title}\n\n\`\`\`\n${e.plan}\n\`\`\``);
  log(`[${elapsed()}] done`);
  const round2 = (n: number) => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify({
      bench: "access",
      quick,
      members: MEMBER_COUNT,
      orders: ORDER_COUNT,
      checks: correctness.checks,
      mismatches: correctness.mismatches,
      countersign_checks_per_s: Math.round(warm.countersign.checksPerSecond),
      countersign_over_casl: round2(warm.countersign.checksPerSecond / warm.casl.checksPerSecond),
      countersign_over_casbin: round2(warm.countersign.checksPerSecond / warm.casbin.checksPerSecond),
      cold_p99_ms: round2(coldSummary.countersign.p99Ms),
      list_first_p95_ms: sampled.first.length ? round2(percentile(sampled.first, 95)) : null,
      list_deep_p95_ms: sampled.deep.length ? round2(percentile(sampled.deep, 95)) : null,
    }),
  );
  if (correctness.mismatches > 0) process.exitCode = 1;
} finally {
  await proposalSql.end({ timeout: 5 });
  await closeDb();
  if (!keep) {
    await dropBenchDatabase(serverUrl);
    log(`dropped ${BENCH_DB} (use --keep to keep it)`);
  }
}
