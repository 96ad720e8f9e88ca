import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { addMappingCommand } from "@/lib/intake/channels/add-mapping";
import { addXrefCommand } from "@/lib/intake/channels/add-xref";
import { changeRulesCommand } from "@/lib/intake/channels/change-rules";
import { createChannelCommand } from "@/lib/intake/channels/create-channel";
import { removeMappingCommand } from "@/lib/intake/channels/remove-mapping";
import { removeXrefCommand } from "@/lib/intake/channels/remove-xref";
import { updateChannelCommand } from "@/lib/intake/channels/update-channel";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";
import { runCli } from "../support/run-cli";
import { makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

process.env.DATABASE_RLS_BYPASS = "0";
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-intake-"));
const cli = (...args: string[]) => runCli(dataDir, ...args);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function customer(name = "Acme") {
  const org = await makeOrg(name);
  const branch = await makeBranch(org.operator, "Plant");
  await openAccount(org.id);
  return { org, branch };
}

async function auditOf(action: string, targetId: string) {
  return asOperator((tx) => tx.execute<{ metadata: Record<string, unknown>; actor_type: string }>(sql`select metadata, actor_type from audit_events where action = ${action} and target_id = ${targetId} order by occurred_at`));
}

describe("intake channels: the CLI reviewers use", () => {
  it("channel create prints { id, url, token } (and the secret for cxml/shopify); mapping and xref add work by slug", async () => {
    const supplier = await makeSupplier();
    const acme = await customer();
    const created = await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "x12-850", "--name", "Acme EDI", "--default-account", acme.org.slug, "--default-branch", acme.branch.id, "--unknown-sku", "accept", "--on-total-mismatch", "reject", "--json");
    expect(created.stderr).toBe("");
    expect(created.code).toBe(0);
    const channel = JSON.parse(created.stdout) as Record<string, string>;
    expect(Object.keys(channel).sort()).toEqual(["id", "token", "url"]);
    expect(channel.url).toMatch(new RegExp(`/api/v1/intake/channels/${channel.id}/messages$`));
    const [row] = await asOperator((tx) => tx.execute<{ token_hash: string; rules: unknown; default_account_id: string }>(sql`select token_hash, rules, default_account_id from intake_channels where id = ${channel.id}`));
    expect(row!.token_hash).not.toContain(channel.token!);
    expect(row!.rules).toEqual({ unknownSku: "accept", onTotalMismatch: "reject" });
    expect(row!.default_account_id).toBe(acme.org.id);
    const [event] = await auditOf("intake.channel.created", channel.id!);
    expect(JSON.stringify(event!.metadata)).not.toContain(channel.token!);

    const shopify = JSON.parse((await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "shopify", "--name", "Shop", "--json")).stdout) as Record<string, string>;
    expect(Object.keys(shopify).sort()).toEqual(["id", "secret", "token", "url"]);
    const [sealed] = await asOperator((tx) => tx.execute<{ secret_sealed: string }>(sql`select secret_sealed from intake_channels where id = ${shopify.id}`));
    expect(sealed!.secret_sealed).not.toContain(shopify.secret!);

    const mapped = await cli("intake", "mapping", "add", "--channel", channel.id!, "--sender", "ZZ:ACME", "--account", acme.org.slug, "--branch", acme.branch.id, "--json");
    expect(mapped.code).toBe(0);
    expect(JSON.parse(mapped.stdout)).toMatchObject({ senderId: "ZZ:ACME", accountId: acme.org.id, branchId: acme.branch.id });
    const xref = await cli("intake", "xref", "add", "--channel", channel.id!, "--account", acme.org.slug, "--part", "0084691", "--sku", "WID-1", "--json");
    expect(xref.code).toBe(0);
    expect(JSON.parse(xref.stdout)).toMatchObject({ buyerPart: "0084691", sku: "WID-1" });
  }, 120_000);

  it("refuses what is not the supplier's, bad formats, NUL bytes and another account's branch, naming the flag", async () => {
    const supplier = await makeSupplier();
    const acme = await customer("Acme Two");
    const other = await customer("Other");
    const notSupplier = await cli("intake", "channel", "create", "--org", acme.org.slug, "--format", "json", "--name", "X", "--json");
    expect(notSupplier.code).toBe(65);
    expect(JSON.parse(notSupplier.stderr)).toMatchObject({ error: { code: "validation", fields: { "--org": [expect.stringMatching(/is not the supplier/)] } } });
    const badFormat = await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "fax", "--name", "X", "--json");
    expect(JSON.parse(badFormat.stderr)).toMatchObject({ error: { code: "validation", fields: { "--format": [expect.stringMatching(/must be one of json, csv, x12-850/)] } } });
    const badRule = await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "json", "--name", "X", "--unknown-sku", "maybe", "--json");
    expect(badRule.code).toBe(65);
    const nul = await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "json", "--name", "Bad\u0001name\u007f", "--max-depth", "ten", "--json");
    expect(nul.code).toBe(65);
    expect(JSON.parse(nul.stderr)).toMatchObject({ error: { fields: { "--max-depth": [expect.stringMatching(/whole number/)] } } });
    const crossBranch = await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "json", "--name", "X", "--default-account", acme.org.slug, "--default-branch", other.branch.id, "--json");
    expect(JSON.parse(crossBranch.stderr)).toMatchObject({ error: { fields: { "--default-branch": ["is not a branch of that account"] } } });
    const noAccount = await cli("intake", "channel", "create", "--org", supplier.slug, "--format", "json", "--name", "X", "--default-account", "no-such-account", "--json");
    expect(JSON.parse(noAccount.stderr)).toMatchObject({ error: { fields: { "--default-account": [expect.stringMatching(/no account "no-such-account"/)] } } });
  }, 120_000);
});

describe("intake channels: commands, permissions and audit", () => {
  it("only the supplier's staff with intake:manage: Viewer and Account manager are refused, a customer's Admin too", async () => {
    await makeSupplier();
    const viewer = await makeSupplierStaff("Viewer");
    const accountManager = await makeSupplierStaff("Account manager");
    const acme = await customer("Self Escalator");
    const admin = await makeMember(acme.org.operator, { roleName: "Admin" });
    for (const principal of [viewer.principal, accountManager.principal, admin.principal]) {
      const error = await runCommand(createChannelCommand, principal, meta, { name: "Mine", format: "json" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ForbiddenError);
    }
    // The customer's own org operator is not the supplier either.
    const fromCustomer = await runCommand(createChannelCommand, acme.org.operator, meta, { name: "Mine", format: "json" }).catch((e: unknown) => e);
    expect(fromCustomer).toBeInstanceOf(ForbiddenError);
    const [count] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from intake_channels where name = 'Mine'`));
    expect(count!.n).toBe(0);
    const ops = await makeSupplierStaff("Operations");
    const made = await runCommand(createChannelCommand, ops.principal, meta, { name: unique("Ops channel"), format: "ubl" });
    expect(made.url).toContain(made.id);
  });

  it("refuses prototype keys and NUL bytes in inputs, and unknown rule names", async () => {
    const supplier = await makeSupplier();
    const proto = JSON.parse('{"name":"P","format":"csv","csvMapping":{"__proto__":"sku"}}') as unknown;
    expect(await runCommand(createChannelCommand, supplier.operator, meta, proto).catch((e: unknown) => e)).toBeInstanceOf(ValidationError);
    const nul = await runCommand(createChannelCommand, supplier.operator, meta, { name: "N\u0000", format: "json" }).catch((e: unknown) => e);
    expect((nul as ValidationError).fieldErrors).toMatchObject({ name: [expect.stringMatching(/NUL/)] });
    const unknownRule = await runCommand(createChannelCommand, supplier.operator, meta, { name: "R", format: "json", rules: { unknownSku: "accept", approveEverything: true } }).catch((e: unknown) => e);
    expect((unknownRule as ValidationError).fieldErrors).toHaveProperty(["rules.approveEverything"]);
    const secretOnJson = await runCommand(createChannelCommand, supplier.operator, meta, { name: "S", format: "json", secret: "0123456789abcdef0123" }).catch((e: unknown) => e);
    expect((secretOnJson as ValidationError).fieldErrors).toHaveProperty("secret");
  });

  it("mappings, xrefs and rule overrides are audited; a mapping cannot point at another org's branch", async () => {
    const supplier = await makeSupplier();
    const acme = await customer("Mapped");
    const other = await customer("Elsewhere");
    const channel = await runCommand(createChannelCommand, supplier.operator, meta, { name: unique("EDI"), format: "x12-850" });
    const cross = await runCommand(addMappingCommand, supplier.operator, meta, { channelId: channel.id, senderId: "ZZ:A", account: acme.org.slug, branchId: other.branch.id }).catch((e: unknown) => e);
    expect((cross as ValidationError).fieldErrors).toEqual({ branchId: ["is not a branch of that account"] });
    await runCommand(addMappingCommand, supplier.operator, meta, { channelId: channel.id, senderId: "ZZ:A", account: acme.org.slug });
    const twice = await runCommand(addMappingCommand, supplier.operator, meta, { channelId: channel.id, senderId: "ZZ:A", account: other.org.slug }).catch((e: unknown) => e);
    expect((twice as { code?: string }).code).toBe("conflict");
    await runCommand(addXrefCommand, supplier.operator, meta, { channelId: channel.id, account: acme.org.slug, buyerPart: "BP-1", sku: "SKU-1" });
    await runCommand(changeRulesCommand, supplier.operator, meta, { channelId: channel.id, rules: { onTotalMismatch: "accept" } });
    await runCommand(changeRulesCommand, supplier.operator, meta, { channelId: channel.id, account: acme.org.slug, rules: { unknownSku: "accept", currencies: ["EUR"] } });
    const notMapped = await runCommand(changeRulesCommand, supplier.operator, meta, { channelId: channel.id, account: other.org.slug, rules: {} }).catch((e: unknown) => e);
    expect((notMapped as ValidationError).fieldErrors).toHaveProperty("account");
    const rules = await auditOf("intake.rules.changed", channel.id);
    expect(rules.map((e) => e.metadata)).toEqual([
      { account: null, changes: [{ rule: "onTotalMismatch", before: "default", after: "accept" }] },
      { account: acme.org.slug, changes: [{ rule: "unknownSku", before: "default", after: "accept" }, { rule: "currencies", before: "default", after: ["EUR"] }] },
    ]);
    await runCommand(removeXrefCommand, supplier.operator, meta, { channelId: channel.id, account: acme.org.slug, buyerPart: "BP-1" });
    await runCommand(removeMappingCommand, supplier.operator, meta, { channelId: channel.id, senderId: "ZZ:A" });
    await runCommand(updateChannelCommand, supplier.operator, meta, { channelId: channel.id, name: "Renamed", maxBodyBytes: 2048 });
    for (const action of ["intake.channel.created", "intake.mapping.added", "intake.mapping.removed", "intake.xref.added", "intake.xref.removed", "intake.channel.updated"]) {
      expect(await auditOf(action, channel.id), action).toHaveLength(1);
    }
    // Another org's channel id names nothing.
    const ghost = await runCommand(updateChannelCommand, acme.org.operator, meta, { channelId: channel.id, name: "Stolen" }).catch((e: unknown) => e);
    expect(ghost).toBeInstanceOf(ForbiddenError);
  });
});
