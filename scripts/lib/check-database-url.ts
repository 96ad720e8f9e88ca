import postgres from "postgres";

/** Connects once to DATABASE_URL; throws one clear line naming the variable when it cannot. */
export async function checkDatabaseUrl(url: string): Promise<void> {
  let where = "the configured server";
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    throw new Error("DATABASE_URL is not a valid URL (expected postgres://user:password@host:port/database).");
  }
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new Error(`DATABASE_URL: cannot reach PostgreSQL at ${where} (${reason}).`);
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}
