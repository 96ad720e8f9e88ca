import { closeDb, getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { readMigrationStatus } from "@/db/migration-status";
import { adoptExistingMfaEncryptionKey } from "../lib/mfa-encryption-key";
import { openDatabase } from "../lib/open-database";
import { adoptExistingAuditSigningKey } from "./audit-keys";
import { CliFailedError, DatabaseUnavailableError, isConnectionError, rootCause } from "./cli-errors";

export interface MigrationReport {
  /** Migrations this run applied. */
  applied: number;
  /** Migrations recorded in the database afterwards. */
  total: number;
  /** Migrations this build ships. */
  expected: number;
}

export interface CliDatabase {
  url: string;
  embedded: boolean;
  migrations: MigrationReport;
  /** Ends the app pool, then the embedded server if this process started it. Never throws. */
  close(): Promise<void>;
}

/**
 * The database every command runs against (DATABASE_URL, the running launcher's embedded server,
 * or one started for this command), migrated to this build, with db/client pointed at it.
 */
export async function openCliDatabase(log: (line: string) => void): Promise<CliDatabase> {
  // The operator acts across orgs: row-level security is bypassed for this process's pool only.
  process.env.DATABASE_RLS_BYPASS = "1";
  // Writes from the CLI land on the same chains as the server's: sign their checkpoints with the
  // same key when the launcher has made one (never a new key: it would sign nothing else).
  adoptExistingAuditSigningKey();
  let database;
  try {
    database = await openDatabase("cli", log);
  } catch (error) {
    throw new DatabaseUnavailableError(firstLine(error), { cause: error });
  }
  const opened = database;
  // Sealed secrets (SAML SP keys, OIDC client secrets, intake secrets) use the launcher's key.
  adoptExistingMfaEncryptionKey(opened.dataDir);
  const close = async () => {
    await closeDb().catch(() => {});
    await opened.close().catch(() => {});
  };
  try {
    process.env.DATABASE_URL = opened.url;
    const before = await readMigrationStatus(getDb());
    await migrateDatabase(opened.url);
    const after = await readMigrationStatus(getDb());
    const migrations = { applied: after.applied - before.applied, total: after.applied, expected: after.expected };
    return { url: opened.url, embedded: opened.embedded, migrations, close };
  } catch (error) {
    await close();
    if (isConnectionError(error)) throw new DatabaseUnavailableError(`Cannot reach the database: ${firstLine(rootCause(error))}`, { cause: error });
    throw new CliFailedError(`Migrations failed: ${firstLine(rootCause(error))}`, { cause: error });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}
