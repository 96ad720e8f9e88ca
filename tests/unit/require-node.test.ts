import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeUnsupportedNode } from "@/scripts/lib/require-node-24";

describe("the project runs on Node.js 24", () => {
  it("refuses versions before 24 with a line that says how to run it, and accepts 24 and later", () => {
    for (const old of ["v20.20.2", "v22.12.0", "v23.11.0", "18.0.0"]) expect(describeUnsupportedNode(old)).toMatch(/needs Node\.js 24 .*npm start/);
    for (const ok of ["v24.0.0", "v24.21.0", "v26.1.0"]) expect(describeUnsupportedNode(ok)).toBeNull();
  });

  it("npm scripts get the pinned Node.js 24 first on their PATH, whatever the machine's own node is", () => {
    // The `node` package's binary is what npm puts first on every npm script's PATH.
    expect(existsSync("node_modules/.bin/node")).toBe(true);
    const run = spawnSync("node_modules/.bin/node", ["-p", "process.versions.node"], { encoding: "utf8" });
    expect(Number(run.stdout.split(".")[0])).toBeGreaterThanOrEqual(24);
    expect(Number(process.versions.node.split(".")[0]), "vitest itself runs on it").toBeGreaterThanOrEqual(24);
  });
});
