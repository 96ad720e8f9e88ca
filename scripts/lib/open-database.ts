import { resolveDataDir } from "./data-dir";
import { checkDatabaseUrl } from "./check-database-url";
import { startEmbeddedPostgres, readRuntimeInfo } from "./embedded-postgres";
import { acquireInstanceLock, readLockHolder } from "./instance-lock";

export interface OpenDatabase {
  url: string;
  embedded: boolean;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded server. The app server always owns the embedded
 * server; the CLI reuses the one a running launcher started, or starts its own for the moment.
 */
export async function openDatabase(role: "server" | "cli", log: (line: string) => void): Promise<OpenDatabase> {
  const dataDir = resolveDataDir();
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await checkDatabaseUrl(configured);
    return { url: configured, embedded: false, dataDir, close: async () => {} };
  }
  if (role === "cli" && readLockHolder(dataDir) !== null) {
    const runtime = readRuntimeInfo(dataDir);
    // Reuse only a launcher's server: one another CLI run started stops when that run ends.
    if (runtime?.owner === "server") return { url: runtime.url, embedded: true, dataDir, close: async () => {} };
  }
  const release = acquireInstanceLock(dataDir);
  try {
    const db = await startEmbeddedPostgres(dataDir, log, role);
    return {
      url: db.url,
      embedded: true,
      dataDir,
      async close() {
        await db.stop();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
