import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

/** The e2e server's own embedded database, found the way the CLI finds it, to compute expectations. */
export function openDemoDb() {
  const runtime = JSON.parse(readFileSync(path.join(".test-data/e2e", "runtime.json"), "utf8")) as { url: string };
  return postgres(runtime.url, { max: 2, onnotice: () => {} });
}

/** Branch names of the orders the demo persona should see, computed from the data itself. */
export async function expectedOrderCount(sql: postgres.Sql, branchNames: string[] | "all"): Promise<number> {
  if (branchNames === "all") return (await sql<{ n: number }[]>`select count(*)::int as n from orders`)[0]!.n;
  const rows = await sql<{ n: number }[]>`select count(*)::int as n from orders o join branches b on b.id = o.branch_id where b.name in ${sql(branchNames)}`;
  return rows[0]!.n;
}
