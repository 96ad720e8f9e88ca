import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs the operator CLI as a real child process against this test file's database. */
export function runCli(dataDir: string, ...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: dataDir };
  delete env.DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
