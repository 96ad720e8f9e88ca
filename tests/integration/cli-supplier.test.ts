import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { loadAccountStanding, loadAccountTerms } from "@/lib/accounts/account-terms";
import { systemPrincipal } from "@/lib/core/system-principal";
import { runCli } from "../support/run-cli";
import { makeOrg } from "../support/factories";

const dataDir = mkdtempSync(path.join(tmpdir(), "cs-cli-supplier-"));
const cli = (...args: string[]) => runCli(dataDir, ...args);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("CLI: supplier, accounts and catalog import", () => {
  it("creates the one supplier, opens an account, and previews then applies a catalog file", async () => {
    const created = await cli("supplier", "create", "--name", "Northwind CLI", "--slug", "northwind-cli", "--json");
    expect(created.stderr).toBe("");
    const supplier = JSON.parse(created.stdout) as { id: string; slug: string; kind: string };
    expect(supplier).toMatchObject({ slug: "northwind-cli", kind: "supplier" });
    const again = await cli("supplier", "create", "--name", "Other", "--slug", "other-cli", "--json");
    expect(again.code).toBe(67);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: "conflict", message: expect.stringContaining("already has its supplier") } });

    const customer = await makeOrg("CLI Customer");
    const bad = await cli("account", "open", "--org", customer.slug, "--currency", "USD", "--also", "EUR=1,08", "--json");
    expect(bad.code).toBe(65);
    expect(JSON.parse(bad.stderr)).toMatchObject({ error: { code: "validation", fields: { "--also": [expect.stringMatching(/^EUR: "1,08" is not a rate/)] } } });
    const opened = await cli("account", "open", "--org", customer.slug, "--currency", "USD", "--also", "EUR=1.08", "--tier", "Gold", "--credit-limit", "2500.50", "--json");
    expect(opened.stderr).toBe("");
    const principal = systemPrincipal("test", { id: supplier.id, slug: supplier.slug, name: "Northwind CLI" });
    const standing = await readAsSupplier(principal, "accounts:read", (tx) => loadAccountStanding(tx, customer.id));
    expect(standing).toMatchObject({ tier: "Gold", creditLimitMinor: 250050 });
    expect((await readAsSupplier(principal, "accounts:read", (tx) => loadAccountTerms(tx, customer.id)))?.currencies.map((c) => c.currency)).toEqual(["USD", "EUR"]);

    const file = path.join(dataDir, "catalog.csv");
    writeFileSync(file, "sku,name,price_usd\nCLI-1,Bolt,1.50\nCLI-2,Nut,\"12,5\"\n");
    const preview = await cli("catalog", "import", "--file", file);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toContain('row 3, column price_usd: "12,5" is not an amount');
    expect(preview.stdout).toContain("Nothing changed");
    const applied = await cli("catalog", "import", "--file", file, "--apply", "--json");
    expect(JSON.parse(applied.stdout)).toMatchObject({ totalRows: 2, errorRows: 1, applied: true, created: 1, updated: 0, unchanged: 0 });
    const twice = await cli("catalog", "import", "--file", file, "--apply", "--json");
    expect(JSON.parse(twice.stdout)).toMatchObject({ applied: true, created: 0, updated: 0, unchanged: 1 });
  }, 120_000);
});
