import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

export async function countOrganizations(db: Executor): Promise<number> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from organizations`);
  return row?.n ?? 0;
}
