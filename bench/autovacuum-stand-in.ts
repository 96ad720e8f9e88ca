import postgres from "postgres";

/**
 * This machine's PostgreSQL runs with autovacuum off, so a table a bench fills from empty is
 * never analyzed, and the plans cached while it was empty (a scan of the whole table, reasonable
 * then) stay on the pool's connections however large it grows. Where autovacuum is off, this
 * stands in for its defaults: an ANALYZE a minute of the tables the bench writes. Where it is on,
 * it does nothing and autovacuum does the work. `active` says which, for the bench to print.
 */
export async function startAutovacuumStandIn(url: string, tables: string[], everyMs = 60_000): Promise<{ active: boolean; stop: () => Promise<void> }> {
  const owner = postgres(url, { max: 1, onnotice: () => {} });
  const [setting] = await owner<{ autovacuum: string }[]>`show autovacuum`;
  if (setting?.autovacuum === "on") {
    await owner.end();
    return { active: false, stop: async () => {} };
  }
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = owner.unsafe(`analyze ${tables.map((t) => `"${t.replace(/"/g, "")}"`).join(", ")}`).catch(() => {});
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
