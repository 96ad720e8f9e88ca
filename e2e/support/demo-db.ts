import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

/** The e2e server's own embedded database, found the way the CLI finds it, to compute expectations. */
export function openDemoDb() {
  const runtime = JSON.parse(readFileSync(path.join(".test-data/e2e", "runtime.json"), "utf8")) as { url: string };
  return postgres(runtime.url, { max: 2, onnotice: () => {} });
}

/**
 * How many orders the overview shows a demo persona whose orders are those of `branchNames`,
 * computed from the data itself: those placed in its window, the last 13 whole UTC weeks
 * (lib/overview/overview-window.ts), formatted as the page formats it.
 */
export async function expectedOrderCount(sql: postgres.Sql, branchNames: string[] | "all"): Promise<string> {
  const inWindow = sql`o.placed_at >= (date_trunc('week', now() at time zone 'UTC') - interval '12 weeks') at time zone 'UTC'`;
  const rows =
    branchNames === "all"
      ? await sql<{ n: number }[]>`select count(*)::int as n from orders o where ${inWindow}`
      : await sql<{ n: number }[]>`select count(*)::int as n from orders o join branches b on b.id = o.branch_id where b.name in ${sql(branchNames)} and ${inWindow}`;
  return rows[0]!.n.toLocaleString("en-US");
}
