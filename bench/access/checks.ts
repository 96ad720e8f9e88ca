/**
 * Permission checks in-process: the same (member, permission, target branch) triples through
 * Countersign, casbin and CASL, with every answer compared.
 */
import type { Enforcer } from "casbin";
import type { Executor } from "@/db/client";
import { can, type Access } from "@/lib/access/access";
import { loadAccess } from "@/lib/access/load-access";
import { allPermissions, type Permission } from "@/lib/access/permissions";
import { buildCasbin, buildCasl, canProposed, caslSubject, casbinMember, countersignFromRaw, flattenRole, loadRawPolicy, type CaslAbility, type OrderSubject, type RawPolicy } from "./engines";
import { pick, randomInt, seededRandom } from "./random";
import { mean, msSince, nowNs, percentile } from "./stats";

export type Engine = "countersign" | "casbin" | "casl";
export const ENGINES: readonly Engine[] = ["countersign", "casbin", "casl"];
/** The warm runs also time canProposed (bench-only) next to the three engines. */
export type WarmEngine = Engine | "proposed";

/** The branch tree, for choosing targets inside a member's subtrees. */
export interface BranchTree {
  paths: string[];
  /** Child paths by parent path ("" = the org root). */
  children: Map<string, string[]>;
}

export function buildTree(rows: ReadonlyArray<{ path: string; parentPath: string | null }>): BranchTree {
  const children = new Map<string, string[]>();
  for (const r of rows) {
    const parent = r.parentPath ?? "";
    children.set(parent, [...(children.get(parent) ?? []), r.path]);
  }
  return { paths: rows.map((r) => r.path), children };
}

export interface MemberChecks {
  ordinal: number;
  membershipId: string;
  perms: Permission[];
  paths: string[];
  subjects: OrderSubject[];
  access: Access;
  enforcer: Enforcer;
  ability: CaslAbility;
  raw: RawPolicy;
}

export interface ColdSample {
  /** Per engine: load (DB) + build + first check, ms. */
  total: Record<Engine, number[]>;
  /** Per engine: in-memory build from already-loaded rows, µs. */
  build: Record<Engine, number[]>;
}

/**
 * Targets: 45 % inside one of the member's granted subtrees (a random walk down from the grant),
 * 10 % the org level (""), 45 % any branch. Permissions: half from what the member's roles hold,
 * half from the whole catalog. So roughly a third of the checks are allowed.
 */
function planChecks(rng: () => number, tree: BranchTree, raw: RawPolicy, count: number): { perms: Permission[]; paths: string[] } {
  const held = [...new Set(raw.grants.flatMap((g) => flattenRole(raw, g.roleId)))] as Permission[];
  const perms: Permission[] = [];
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    perms.push(held.length && rng() < 0.5 ? pick(rng, held) : pick(rng, allPermissions));
    const x = rng();
    if (x < 0.45 && raw.grants.length) {
      let path = pick(rng, raw.grants).branchPath;
      for (;;) {
        const kids = tree.children.get(path);
        if (!kids || (path !== "" && rng() < 0.35)) break;
        path = pick(rng, kids);
      }
      paths.push(path);
    } else if (x < 0.55) {
      paths.push("");
    } else {
      paths.push(tree.paths[randomInt(rng, tree.paths.length)]!);
    }
  }
  return { perms, paths };
}

/**
 * Cold path, one member at a time: each engine loads the member's rows from PostgreSQL, builds
 * its structure and answers the first check. Engine order rotates per member so none always
 * reads buffers another has just warmed. Keeps the built structures for the warm runs.
 */
export async function runCold(db: Executor, tree: BranchTree, members: ReadonlyArray<{ ordinal: number; membershipId: string }>, checksPerMember: number, seed: number): Promise<{ members: MemberChecks[]; cold: ColdSample; firstCheckMismatches: number }> {
  const rng = seededRandom(seed);
  const cold: ColdSample = { total: { countersign: [], casbin: [], casl: [] }, build: { countersign: [], casbin: [], casl: [] } };
  const out: MemberChecks[] = [];
  let firstCheckMismatches = 0;
  for (const [n, m] of members.entries()) {
    // Plan from the rows (untimed), then time each engine's full cold path.
    const planned = planChecks(rng, tree, await loadRawPolicy(db, m.membershipId), checksPerMember);
    const perm = planned.perms[0]!;
    const path = planned.paths[0]!;
    const subject0 = caslSubject(path);
    let access: Access | undefined;
    let enforcer: Enforcer | undefined;
    let ability: CaslAbility | undefined;
    let raw: RawPolicy | undefined;
    const answers: Partial<Record<Engine, boolean>> = {};
    for (let k = 0; k < ENGINES.length; k++) {
      const engine = ENGINES[(n + k) % ENGINES.length]!;
      const t = nowNs();
      if (engine === "countersign") {
        access = await loadAccess(db, m.membershipId);
        answers.countersign = can(access, perm, path);
      } else if (engine === "casbin") {
        const rows = await loadRawPolicy(db, m.membershipId);
        enforcer = await buildCasbin([rows]);
        answers.casbin = enforcer.enforceSync(casbinMember(m.membershipId), path, perm);
      } else {
        raw = await loadRawPolicy(db, m.membershipId);
        ability = buildCasl(raw);
        answers.casl = ability.can(perm, subject0);
      }
      cold.total[engine].push(msSince(t));
    }
    if (answers.countersign !== answers.casbin || answers.countersign !== answers.casl) firstCheckMismatches++;
    // In-memory build only, from the rows already loaded.
    let t = nowNs();
    countersignFromRaw(raw!);
    cold.build.countersign.push(msSince(t) * 1000);
    t = nowNs();
    await buildCasbin([raw!]);
    cold.build.casbin.push(msSince(t) * 1000);
    t = nowNs();
    buildCasl(raw!);
    cold.build.casl.push(msSince(t) * 1000);
    out.push({ ...m, ...planned, subjects: planned.paths.map(caslSubject), access: access!, enforcer: enforcer!, ability: ability!, raw: raw! });
  }
  return { members: out, cold, firstCheckMismatches };
}

export interface Correctness {
  checks: number;
  allowed: number;
  mismatches: number;
  examples: string[];
}

/** Every planned check through all three engines; the answers must agree. */
export function compareAnswers(members: readonly MemberChecks[]): Correctness {
  const result: Correctness = { checks: 0, allowed: 0, mismatches: 0, examples: [] };
  for (const m of members) {
    const sub = casbinMember(m.membershipId);
    for (let j = 0; j < m.perms.length; j++) {
      const perm = m.perms[j]!;
      const path = m.paths[j]!;
      const a = can(m.access, perm, path);
      const b = m.enforcer.enforceSync(sub, path, perm);
      const c = m.ability.can(perm, m.subjects[j]!);
      const d = canProposed(m.access, perm, path);
      result.checks++;
      if (a) result.allowed++;
      if (a !== b || a !== c || a !== d) {
        result.mismatches++;
        if (result.examples.length < 5) result.examples.push(`member ${m.ordinal} ${perm} at "${path}": countersign=${a} casbin=${b} casl=${c} proposed=${d}`);
      }
    }
  }
  return result;
}

/** Per-check nanoseconds, one value per member batch, plus the run's totals. */
export interface WarmRun {
  batchNsPerCheck: number[];
  totalNs: number;
  checks: number;
  allowed: number;
}

// One loop per engine (rather than a shared loop over a callback) so each call site stays
// monomorphic and the loop overhead is the same plain for-loop for all three.
function warmCountersign(members: readonly MemberChecks[], limit: number): WarmRun {
  const run: WarmRun = { batchNsPerCheck: [], totalNs: 0, checks: 0, allowed: 0 };
  for (const m of members) {
    const n = Math.min(limit, m.perms.length);
    const { access, perms, paths } = m;
    let allowed = 0;
    const t = process.hrtime.bigint();
    for (let j = 0; j < n; j++) if (can(access, perms[j]!, paths[j]!)) allowed++;
    const ns = Number(process.hrtime.bigint() - t);
    run.batchNsPerCheck.push(ns / n);
    run.totalNs += ns;
    run.checks += n;
    run.allowed += allowed;
  }
  return run;
}

function warmProposed(members: readonly MemberChecks[], limit: number): WarmRun {
  const run: WarmRun = { batchNsPerCheck: [], totalNs: 0, checks: 0, allowed: 0 };
  for (const m of members) {
    const n = Math.min(limit, m.perms.length);
    const { access, perms, paths } = m;
    let allowed = 0;
    const t = process.hrtime.bigint();
    for (let j = 0; j < n; j++) if (canProposed(access, perms[j]!, paths[j]!)) allowed++;
    const ns = Number(process.hrtime.bigint() - t);
    run.batchNsPerCheck.push(ns / n);
    run.totalNs += ns;
    run.checks += n;
    run.allowed += allowed;
  }
  return run;
}

function warmCasbin(members: readonly MemberChecks[], limit: number, shared?: Enforcer): WarmRun {
  const run: WarmRun = { batchNsPerCheck: [], totalNs: 0, checks: 0, allowed: 0 };
  for (const m of members) {
    const n = Math.min(limit, m.perms.length);
    const { perms, paths } = m;
    const enforcer = shared ?? m.enforcer;
    const sub = casbinMember(m.membershipId);
    let allowed = 0;
    const t = process.hrtime.bigint();
    for (let j = 0; j < n; j++) if (enforcer.enforceSync(sub, paths[j]!, perms[j]!)) allowed++;
    const ns = Number(process.hrtime.bigint() - t);
    run.batchNsPerCheck.push(ns / n);
    run.totalNs += ns;
    run.checks += n;
    run.allowed += allowed;
  }
  return run;
}

function warmCasl(members: readonly MemberChecks[], limit: number): WarmRun {
  const run: WarmRun = { batchNsPerCheck: [], totalNs: 0, checks: 0, allowed: 0 };
  for (const m of members) {
    const n = Math.min(limit, m.perms.length);
    const { ability, perms, subjects } = m;
    let allowed = 0;
    const t = process.hrtime.bigint();
    for (let j = 0; j < n; j++) if (ability.can(perms[j]!, subjects[j]!)) allowed++;
    const ns = Number(process.hrtime.bigint() - t);
    run.batchNsPerCheck.push(ns / n);
    run.totalNs += ns;
    run.checks += n;
    run.allowed += allowed;
  }
  return run;
}

export function runWarm(engine: WarmEngine, members: readonly MemberChecks[], limit = Infinity): WarmRun {
  if (engine === "countersign") return warmCountersign(members, limit);
  if (engine === "proposed") return warmProposed(members, limit);
  if (engine === "casbin") return warmCasbin(members, limit);
  return warmCasl(members, limit);
}

export function runWarmSharedCasbin(enforcer: Enforcer, members: readonly MemberChecks[], limit: number): WarmRun {
  return warmCasbin(members, limit, enforcer);
}

export function mergeRuns(runs: readonly WarmRun[]): WarmRun {
  return {
    batchNsPerCheck: runs.flatMap((r) => r.batchNsPerCheck),
    totalNs: runs.reduce((a, r) => a + r.totalNs, 0),
    checks: runs.reduce((a, r) => a + r.checks, 0),
    allowed: runs.reduce((a, r) => a + r.allowed, 0),
  };
}

export interface WarmSummary {
  /** Median over the rounds of (checks in the round / time in the round). */
  checksPerSecond: number;
  meanNs: number;
  p50Ns: number;
  p99Ns: number;
  checks: number;
}

export function summarizeWarm(rounds: readonly WarmRun[]): WarmSummary {
  const run = mergeRuns(rounds);
  return {
    checksPerSecond: percentile(
      rounds.map((r) => r.checks / (r.totalNs / 1e9)),
      50,
    ),
    meanNs: run.totalNs / run.checks,
    p50Ns: percentile(run.batchNsPerCheck, 50),
    p99Ns: percentile(run.batchNsPerCheck, 99),
    checks: run.checks,
  };
}

export interface ColdSummary {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  checksPerSecond: number;
  buildP50Us: number;
  buildP99Us: number;
}

export function summarizeCold(cold: ColdSample, engine: Engine): ColdSummary {
  const total = cold.total[engine];
  return {
    p50Ms: percentile(total, 50),
    p99Ms: percentile(total, 99),
    meanMs: mean(total),
    checksPerSecond: 1000 / mean(total),
    buildP50Us: percentile(cold.build[engine], 50),
    buildP99Us: percentile(cold.build[engine], 99),
  };
}
