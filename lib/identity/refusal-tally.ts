import { sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { refusalTallies } from "@/db/schema";

/*
 * Anonymous refusals, counted per client address and fixed window (table refusal_tallies).
 *
 * A bad bearer token or a reset request costs its sender nothing, and each one used to append
 * an event to the global audit chain, under the lock every sign-in also waits for. Now:
 * - past `limit` per address and window, the answer is 429 with Retry-After, and the refusal
 *   is only counted;
 * - with `aggregateRepeats` (bad tokens), the first refusal of a (kind, address, detail) key in
 *   a window is recorded as before, and its repeats are only counted;
 * - counted refusals are recorded as one `auth.refusals.counted` event per key and window
 *   (record-counted-refusals.ts) once the window has closed: on the next refusal from that
 *   address, or by the launcher's periodic job for windows that went quiet.
 * The counting here is bookkeeping in a transaction of its own, like the session's last-seen
 * time: the events it stands for are appended by commands, and the count is moved into the trail
 * by a command that deletes the row in the same transaction, so nothing is counted twice or lost.
 */

/** Fixed windows, aligned to the epoch, so every app node agrees where one ends. */
export const REFUSAL_WINDOW_SECONDS = 600;

export type RefusalKind = "auth.api-token.rejected" | "auth.password_reset.requested";

export interface RefusalRule {
  kind: RefusalKind;
  /** Refusals per address and window before the rest are answered 429. */
  limit: number;
  /** Count a key's repeats within a window instead of recording each one (its first is recorded). */
  aggregateRepeats: boolean;
  /** The anonymous actor the counted event names, as the events it stands for do. */
  actorLabel: string;
}

export const refusalRules: Record<RefusalKind, RefusalRule> = {
  // A client with a revoked token retrying in a loop is told to stop after 30 tries.
  "auth.api-token.rejected": { kind: "auth.api-token.rejected", limit: 30, aggregateRepeats: true, actorLabel: "bearer token" },
  // Each admitted request may mail a link, so each is recorded; past 10 from one address, none is admitted.
  "auth.password_reset.requested": { kind: "auth.password_reset.requested", limit: 10, aggregateRepeats: false, actorLabel: "anonymous" },
};

export type TallyVerdict =
  /** Record the refusal (or run the request) as usual: the first of its key, or an admitted request. */
  | { verdict: "record" }
  /** A repeat within the window: counted, to be recorded with the others. */
  | { verdict: "counted" }
  /** Over the address's limit: answer 429; counted, to be recorded with the others. */
  | { verdict: "throttled"; retryAfterSeconds: number };

/** A window that has closed with counted refusals still to record. */
export interface ClosedTally {
  kind: RefusalKind;
  address: string;
  windowStart: Date;
  throttled: boolean;
  detail: string;
}

// Advisory-lock class of one address's tallies (sign-in throttling and the audit chain use others).
const TALLY_LOCK_CLASS = 727_274_004;

/**
 * Counts one refusal from `ip` and says what to do with it, with the windows of that address
 * that have closed and still hold counts (the caller records them first). Takes only a lock on
 * this address's tallies: a flood from one address never waits on, or holds, anyone else's.
 */
export async function tallyRefusal(db: Db, rule: RefusalRule, ip: string | null, detail: Record<string, unknown>): Promise<{ tally: TallyVerdict; closed: ClosedTally[] }> {
  const address = tallyAddress(ip);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${TALLY_LOCK_CLASS}, hashtext(${`${rule.kind}|${address}`}))`);
    const [clock] = await tx.execute<{ window: number; now: number }>(
      sql`select extract(epoch from date_bin(make_interval(secs => ${REFUSAL_WINDOW_SECONDS}), now(), timestamptz '1970-01-01')) * 1000 as window, extract(epoch from now()) * 1000 as now`,
    );
    const windowStart = new Date(Number(clock!.window));
    const closed = await takeClosed(tx, rule.kind, address, windowStart);
    const [sum] = await tx.execute<{ total: number }>(
      sql`select coalesce(sum(total), 0)::int as total from ${refusalTallies} where kind = ${rule.kind} and address = ${address} and window_start = ${windowStart.toISOString()}::timestamptz`,
    );
    if (sum!.total >= rule.limit) {
      await count(tx, rule.kind, address, windowStart, true, "", true);
      const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + REFUSAL_WINDOW_SECONDS * 1000 - Number(clock!.now)) / 1000));
      return { tally: { verdict: "throttled", retryAfterSeconds }, closed };
    }
    const first = await count(tx, rule.kind, address, windowStart, false, rule.aggregateRepeats ? JSON.stringify(detail) : "", rule.aggregateRepeats);
    return { tally: { verdict: first || !rule.aggregateRepeats ? "record" : "counted" }, closed };
  });
}

/** Every closed window, of any address, that still holds counts: for the periodic job. */
export async function listQuietTallies(db: Db): Promise<ClosedTally[]> {
  return db.transaction(async (tx) => {
    const current = sql`date_bin(make_interval(secs => ${REFUSAL_WINDOW_SECONDS}), now(), timestamptz '1970-01-01')`;
    // Closed windows with nothing left to record are bookkeeping only.
    await tx.execute(sql`delete from ${refusalTallies} where window_start < ${current} and unrecorded = 0`);
    const rows = await tx.execute<ClosedRow>(
      sql`select kind, address, extract(epoch from window_start) * 1000 as window_ms, throttled, detail from ${refusalTallies} where window_start < ${current} and unrecorded > 0 order by window_start, kind, address limit 1000`,
    );
    return rows.map(toClosed);
  });
}

/** The address refusals are counted under: IPv6 by its /64 (one subscriber's block), "" when unknown. */
export function tallyAddress(ip: string | null): string {
  if (!ip) return "";
  if (!ip.includes(":")) return ip;
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : ip;
}

async function takeClosed(tx: Tx, kind: RefusalKind, address: string, windowStart: Date): Promise<ClosedTally[]> {
  const before = sql`kind = ${kind} and address = ${address} and window_start < ${windowStart.toISOString()}::timestamptz`;
  await tx.execute(sql`delete from ${refusalTallies} where ${before} and unrecorded = 0`);
  const rows = await tx.execute<ClosedRow>(sql`select kind, address, extract(epoch from window_start) * 1000 as window_ms, throttled, detail from ${refusalTallies} where ${before} order by window_start`);
  return rows.map(toClosed);
}

/** Adds one to a tally row; true when this created it (the first of its key in the window). */
async function count(tx: Tx, kind: string, address: string, windowStart: Date, throttled: boolean, detail: string, unrecorded: boolean): Promise<boolean> {
  // The first refusal of a detail row is recorded at once; a throttled row records none of its own.
  const initial = throttled ? 1 : 0;
  const [row] = await tx.execute<{ created: boolean }>(sql`
    insert into ${refusalTallies} (kind, address, window_start, throttled, detail, total, unrecorded)
    values (${kind}, ${address}, ${windowStart.toISOString()}::timestamptz, ${throttled}, ${detail}, 1, ${initial})
    on conflict (kind, address, window_start, throttled, detail) do update
      set total = ${refusalTallies.total} + 1, unrecorded = ${refusalTallies.unrecorded} + ${unrecorded ? 1 : 0}, last_at = now()
    returning (xmax = 0) as created`);
  return row!.created;
}

type ClosedRow = { kind: RefusalKind; address: string; window_ms: string | number; throttled: boolean; detail: string };

function toClosed(r: ClosedRow): ClosedTally {
  return { kind: r.kind, address: r.address, windowStart: new Date(Number(r.window_ms)), throttled: r.throttled, detail: r.detail };
}

/** "2001:db8::1" as its eight groups, or null when it is not plain IPv6 text. */
function expandIpv6(ip: string): string[] | null {
  const halves = ip.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(":") : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(missing).fill("0"), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16).toString(16));
}
