import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashEventV2 } from "@/lib/audit/hash-event";
import { publicKeyPem } from "@/lib/audit/signing-key";
import { makeBranch, makeOrg } from "../support/factories";

/**
 * `npm run cli -- audit ...` as a real child process against this file's database: exit codes,
 * output, which key it uses, and that an export carries values exact enough to re-hash.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), "cs-audit-cli-"));
const KEY_VARS = ["AUDIT_SIGNING_KEY", "AUDIT_SIGNING_KEY_FILE", "AUDIT_PUBLIC_KEY"];

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with no audit key variable set unless `env` sets one, and its own DATA_DIR. */
function cli(args: string[], { env = {}, dataDir = path.join(scratch, "empty-data-dir") }: { env?: Record<string, string>; dataDir?: string } = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: dataDir, ...env };
  for (const name of KEY_VARS) if (!(name in env)) delete childEnv[name];
  delete childEnv.DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { cwd: root, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The data dir a launcher would have left: holding the key the test setup signs with. */
const launcherDataDir = path.join(scratch, "launcher-data-dir");
let owner: postgres.Sql;
let acme: Awaited<ReturnType<typeof makeOrg>>;
let beta: Awaited<ReturnType<typeof makeOrg>>;

beforeAll(async () => {
  owner = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const { mkdirSync } = await import("node:fs");
  mkdirSync(launcherDataDir, { recursive: true });
  copyFileSync(inject("auditKeyFile"), path.join(launcherDataDir, "audit-signing-key.pem"));
  acme = await makeOrg("Acme");
  await makeBranch(acme.operator, "Chicago");
  await makeBranch(acme.operator, "Line\r\nBreak");
  beta = await makeOrg("Beta");
  await makeBranch(beta.operator, "Berlin");
});

afterAll(async () => {
  await owner.end({ timeout: 5 });
  rmSync(scratch, { recursive: true, force: true });
});

function parse<T>(run: CliRun): T {
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as T;
}

interface VerifyJson {
  intact: boolean;
  signaturesChecked: boolean;
  keyId: string | null;
  chains: Array<{ org: { slug: string } | null; intact: boolean; events: number; firstBrokenSeq: number | null; problem: string | null; checkpoints: { total: number; verified: number } }>;
}

describe("audit verify", () => {
  it("help lists the audit commands and documents the exit status of a broken chain", async () => {
    const group = await cli(["audit", "--help"]);
    expect(group.code).toBe(0);
    for (const command of ["audit verify", "audit export", "audit checkpoint"]) expect(group.stdout).toContain(command);
    const help = await cli(["audit", "verify", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+70\s+at least one chain is broken/m);
  });

  it("checks every chain with the launcher's key from DATA_DIR, and never generates one", async () => {
    const checkpointed = await cli(["audit", "checkpoint", "--json"], { dataDir: launcherDataDir });
    expect(parse<{ signed: number }>(checkpointed).signed).toBe(2); // acme and beta; the global chain is still empty
    expect(parse<{ signed: number }>(await cli(["audit", "checkpoint", "--json"], { dataDir: launcherDataDir })).signed).toBe(0);

    const run = await cli(["audit", "verify", "--json"], { dataDir: launcherDataDir });
    expect(run.code).toBe(0);
    const report = parse<VerifyJson>(run);
    expect(report).toMatchObject({ intact: true, signaturesChecked: true, keyId: publicKeyPem()!.keyId });
    const slugs = report.chains.map((c) => c.org?.slug ?? null);
    expect(slugs).toEqual(expect.arrayContaining([acme.slug, beta.slug, null]));
    expect(slugs.at(-1)).toBeNull(); // the global chain comes last
    const acmeChain = report.chains.find((c) => c.org?.slug === acme.slug)!;
    expect(acmeChain).toMatchObject({ intact: true, events: 3, firstBrokenSeq: null, checkpoints: { total: 1, verified: 1 } });

    const human = await cli(["audit", "verify"], { dataDir: launcherDataDir });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^  ${acme.slug}\\s+intact  3 events, 1 checkpoint, 1 signature verified$`, "m"));
    expect(human.stdout).toMatch(/^ {2}\(global\)\s+intact/m);
    expect(human.stdout).toMatch(/All \d+ chains are intact\./);
  });

  it("without any key the hashes are still checked, the output says the signatures were not, and no key file appears", async () => {
    const emptyDir = path.join(scratch, "no-key");
    const unsigned = await cli(["audit", "verify", "--org", acme.slug], { dataDir: emptyDir });
    expect(unsigned.code).toBe(0);
    expect(unsigned.stdout).toContain("signatures were NOT checked");
    expect(existsSync(path.join(emptyDir, "audit-signing-key.pem"))).toBe(false);
    const noSigner = await cli(["audit", "checkpoint"], { dataDir: emptyDir });
    expect(noSigner.code).toBe(1);
    expect(noSigner.stderr).toContain("No audit signing key");
    expect(existsSync(path.join(emptyDir, "audit-signing-key.pem"))).toBe(false);
  });

  it("an outside verifier's --public-key checks the signatures; a different key fails them", async () => {
    const published = path.join(scratch, "published.pem");
    writeFileSync(published, publicKeyPem()!.pem);
    const good = await cli(["audit", "verify", "--org", acme.slug, "--public-key", published, "--json"]);
    expect(good.code).toBe(0);
    expect(parse<VerifyJson>(good)).toMatchObject({ intact: true, signaturesChecked: true, chains: [{ checkpoints: { total: 1, verified: 1 } }] });

    const stranger = path.join(scratch, "stranger.pem");
    writeFileSync(stranger, generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }));
    const bad = await cli(["audit", "verify", "--org", acme.slug, "--public-key", stranger, "--json"]);
    expect(bad.code).toBe(70);
    expect(parse<VerifyJson>(bad).chains[0]).toMatchObject({ intact: false, firstBrokenSeq: 1, problem: expect.stringContaining("signature that does not verify") });

    const notAKey = await cli(["audit", "verify", "--public-key", path.join(root, "package.json"), "--json"]);
    expect(notAKey.code).toBe(65);
    expect(JSON.parse(notAKey.stderr)).toMatchObject({ error: { code: "validation", fields: { "--public-key": [expect.stringContaining("not an Ed25519 public key")] } } });
  });

  it("misuse: --org with --all exits 64, an unknown org 66", async () => {
    const both = await cli(["audit", "verify", "--org", acme.slug, "--all"]);
    expect(both.code).toBe(64);
    expect(both.stderr).toContain("--org or --all, not both");
    const unknown = await cli(["audit", "verify", "--org", "no-such-org"]);
    expect(unknown.code).toBe(66);
    expect(unknown.stderr).toMatch(/--org: organization "no-such-org".*not found/);
  });

  it("a changed event exits 70 and names the first broken event; other chains still report intact", async () => {
    const victim = await makeOrg("Victim");
    for (const name of ["A", "B", "C"]) await makeBranch(victim.operator, name);
    await owner.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update audit_events set actor_label = 'nobody' where org_id = ${victim.id} and seq = 3`;
    });

    const one = await cli(["audit", "verify", "--org", victim.slug]);
    expect(one.code).toBe(70);
    expect(one.stdout).toContain(`${victim.slug}  BROKEN at event 3: event 3 was changed after it was written`);
    expect(one.stdout).toContain("1 of 1 chain is BROKEN.");

    const all = await cli(["audit", "verify", "--all", "--json"], { dataDir: launcherDataDir });
    expect(all.code).toBe(70);
    const report = parse<VerifyJson>(all);
    expect(report.intact).toBe(false);
    expect(report.chains.find((c) => c.org?.slug === victim.slug)).toMatchObject({ intact: false, firstBrokenSeq: 3 });
    expect(report.chains.filter((c) => !c.intact)).toHaveLength(1);
  });
});

describe("audit export", () => {
  type Line = Record<string, unknown> & { type: string };

  it("writes JSON Lines to stdout with values exact enough to recompute every hash, and records the export", async () => {
    const run = await cli(["audit", "export", "--org", acme.slug]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Line);
    expect(lines[0]!.type).toBe("checkpoint");
    expect(lines.at(-1)).toMatchObject({ type: "end" });
    const events = lines.filter((l) => l.type === "event");
    expect(lines.at(-1)!.events).toBe(events.length);
    // The export is on the record before its rows are read, so it is the last event exported.
    expect(events.map((e) => e.action)).toEqual(["org.created", "branch.created", "branch.created", "audit.exported"]);
    expect(events.at(-1)).toMatchObject({ actorType: "system", actorLabel: "cli", metadata: { format: "jsonl", filters: {} } });
    for (const e of events) {
      const { hash, ...fields } = e as unknown as Parameters<typeof hashEventV2>[0] & { hash: string };
      expect(hashEventV2(fields), `seq ${e.seq}`).toBe(hash);
    }
    // CR/LF in a value never splits a line.
    expect(run.stdout).toContain("Line\\r\\nBreak");
  });

  it("--format csv --out writes a file only once complete, with the filters applied", async () => {
    const out = path.join(scratch, "acme.csv");
    const run = await cli(["audit", "export", "--org", acme.slug, "--format", "csv", "--action", "branch.created", "--out", out, "--json"]);
    expect(run.code).toBe(0);
    const summary = parse<{ file: string; format: string; events: number; throughSeq: number }>(run);
    expect(summary).toMatchObject({ file: out, format: "csv", events: 2 });
    const records = readFileSync(out, "utf8").split("\r\n").filter(Boolean);
    expect(records[0]).toMatch(/^record_type,seq,occurred_at,/);
    expect(records.map((r) => r.split(",")[0])).toEqual(["record_type", '"checkpoint"', '"event"', '"event"', '"end"']);
    expect(statSync(out).mode & 0o077).toBe(0); // the trail holds emails and addresses: owner only

    const human = await cli(["audit", "export", "--org", acme.slug, "--format", "csv", "--out", out]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Exported \\d+ events of ${acme.slug} to ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(csv; chain through event \\d+, latest signed checkpoint at event \\d+`));
  });

  it("misuse: --json without --out exits 64, a bad filter 65 naming the flag, an unwritable --out 1 without recording an export", async () => {
    const noOut = await cli(["audit", "export", "--org", acme.slug, "--json"]);
    expect(noOut.code).toBe(64);
    expect(noOut.stdout).toBe("");

    const never = path.join(scratch, "never.jsonl");
    const badFilter = await cli(["audit", "export", "--org", acme.slug, "--from", "yesterday", "--format", "xml", "--out", never, "--json"]);
    expect(badFilter.code).toBe(65);
    const { error } = JSON.parse(badFilter.stderr) as { error: { fields: Record<string, string[]> } };
    expect(Object.keys(error.fields)).toEqual(["--format"]);
    const badFrom = await cli(["audit", "export", "--org", acme.slug, "--from", "yesterday", "--out", never, "--json"]);
    expect(badFrom.code).toBe(65);
    expect(Object.keys((JSON.parse(badFrom.stderr) as { error: { fields: Record<string, string[]> } }).error.fields)).toEqual(["--from"]);
    expect(existsSync(never)).toBe(false);

    const [before] = await owner`select count(*)::int as n from audit_events where org_id = ${beta.id} and action = 'audit.exported'`;
    const unwritable = await cli(["audit", "export", "--org", beta.slug, "--out", path.join(scratch, "missing-dir", "x.jsonl")]);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain("--out: cannot write");
    const [after] = await owner`select count(*)::int as n from audit_events where org_id = ${beta.id} and action = 'audit.exported'`;
    expect(after!.n).toBe(before!.n);
  });
});
