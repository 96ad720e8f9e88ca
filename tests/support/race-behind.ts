import { sql } from "drizzle-orm";
import { getDb, type Tx } from "@/db/client";
import { asOperator } from "./as-operator";

class LetGo extends Error {}

/**
 * A race that happens every time, not one run in ten. `hold` takes a lock in a transaction of
 * its own (a row locked, or a unique key taken by an uncommitted insert); the racers then start
 * together, and the hold lets go (rolls back) only once each of them waits on a lock. So every
 * racer has done its reads and checks before any of them writes, which is the interleaving that
 * breaks a check-then-write. Returns how each racer ended.
 */
export async function raceBehind<T>(hold: (tx: Tx) => Promise<unknown>, racers: Array<() => Promise<T>>): Promise<PromiseSettledResult<T>[]> {
  let outcomes: Promise<PromiseSettledResult<T>[]> | undefined;
  try {
    await asOperator(async (tx) => {
      await hold(tx);
      outcomes = Promise.allSettled(racers.map((run) => run()));
      await waitForLockWaiters(racers.length);
      throw new LetGo();
    });
  } catch (error) {
    if (!(error instanceof LetGo)) throw error;
  }
  return outcomes!;
}

/** Polls until `count` sessions of this test's database wait on a lock (row, key or advisory). */
async function waitForLockWaiters(count: number): Promise<void> {
  for (let attempt = 0; attempt < 1500; attempt++) {
    const [row] = await getDb().execute<{ waiting: number }>(
      sql`select count(*)::int as waiting from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted and a.datname = current_database()`,
    );
    if (row!.waiting >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Fewer than ${count} racers ever waited on a lock: one finished or failed before writing, so this was no race.`);
}

/** The one racer that failed, for races where exactly one must lose. */
export function loserOf<T>(outcomes: PromiseSettledResult<T>[]): unknown {
  const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failed.length !== 1 || outcomes.length - failed.length !== 1) throw new Error(`expected one winner and one loser, got ${outcomes.map((o) => o.status).join(", ")}`);
  return failed[0]!.reason;
}
