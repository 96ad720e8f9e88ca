// A helper the benches share (not a bench of its own): bench/provisioning and bench/intake/burst.ts start it.
import postgres from "postgres";

/**
 * This machine's PostgreSQL runs with autovacuum off, so a table a bench fills from empty is
 * never analyzed, and the plans cached while it was empty (a scan of the whole table, reasonable
 * then) stay on the pool's connections however large it grows. Where autovacuum is off, this
 * stands in for its defaults: an ANALYZE a minute of the tables the bench writes. Where it is on,
 * it does nothing and autovacuum does the work. `active` says which, for the bench to print.
 * A table may be schema-qualified (`pgboss.job_common`); an empty list analyzes the whole database.
 * `vacuum`: VACUUM (ANALYZE) instead, for a bench whose rows change state many times (a queue's
 * jobs, an inbox's messages), whose dead rows autovacuum would also clear.
 */
export async function startAutovacuumStandIn(url: string, tables: string[], everyMs = 60_000, { vacuum = false }: { vacuum?: boolean } = {}): Promise<{ active: boolean; stop: () => Promise<void> }> {
  const owner = postgres(url, { max: 1, onnotice: () => {} });
  const [setting] = await owner<{ autovacuum: string }[]>`show autovacuum`;
  if (setting?.autovacuum === "on") {
    await owner.end();
    return { active: false, stop: async () => {} };
  }
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = owner.unsafe(`${vacuum ? "vacuum (analyze)" : "analyze"} ${tables.map(quoteTable).join(", ")}`).catch(() => {});
  }, everyMs);
  timer.unref();
  return {
    active: true,
    stop: async () => {
      clearInterval(timer);
      await running;
      await owner.end();
    },
  };
}

/** `schema.table` or `table`, each part quoted. */
function quoteTable(name: string): string {
  return name.split(".").map((part) => `"${part.replace(/"/g, "")}"`).join(".");
}
