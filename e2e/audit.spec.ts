import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { openDemoDb } from "./support/demo-db";
import { signInViaApi } from "./support/sign-in";

// The operator's CLI against the e2e server's data dir, as in org-switch.spec.ts.
function cli(...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "" }, encoding: "utf8" });
}

test("an auditor filters the trail by keyboard, opens an event and downloads a JSON Lines export that starts with the checkpoint", async ({ page, context }) => {
  // Sign the chain's head now rather than waiting for the launcher's periodic checkpointer.
  cli("audit", "checkpoint");
  await signInViaApi(context, "auditor@acme.test");
  await page.goto("/orgs/acme");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { name: "Audit", exact: true })).toBeVisible();
  await expect(page.locator("tbody tr")).toHaveCount(50); // the demo seed wrote hundreds
  await expect(page.getByTestId("latest-checkpoint")).toContainText("Signed checkpoint at event #");

  const action = page.getByLabel(/^Action/);
  await action.fill("order.created");
  await action.press("Enter");
  await expect(page).toHaveURL(/action=order\.created/);
  const actions = await page.locator("tbody tr td:nth-child(3)").allInnerTexts();
  expect(actions).toHaveLength(50);
  expect(new Set(actions)).toEqual(new Set(["order.created"]));

  await page.getByRole("link", { name: "Older" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.locator("tbody tr td:nth-child(3)").first()).toHaveText("order.created");

  await page.locator("tbody tr").first().getByRole("link").click();
  await expect(page.getByRole("heading", { name: /^Event #\d+: order\.created$/ })).toBeVisible();
  await expect(page.getByText("Previous hash")).toBeVisible();
  await expect(page.getByRole("table", { name: "Changes recorded by this event" }).getByRole("row", { name: /number/ })).toContainText("added");
  await page.getByRole("link", { name: "← Audit trail" }).click();

  await page.getByLabel(/^Action/).fill("order.created");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=order\.created/);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "JSON Lines" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^audit-acme-\d{8}T\d{6}Z\.jsonl$/);
  const records = readFileSync((await download.path())!, "utf8").trim().split("\n").map((line) => JSON.parse(line));

  const sql = openDemoDb();
  try {
    const [checkpoint] = await sql<{ seq: number; hash: string }[]>`select c.seq::int, c.hash from audit_checkpoints c join organizations o on o.id = c.org_id where o.slug = 'acme' order by c.seq desc limit 1`;
    const [orders] = await sql<{ n: number }[]>`select count(*)::int as n from orders o join organizations g on g.id = o.org_id where g.slug = 'acme'`;
    expect(records[0]).toMatchObject({ type: "checkpoint", seq: checkpoint!.seq, hash: checkpoint!.hash, signature: expect.any(String) });
    expect(records.slice(1, -1).every((r) => r.type === "event" && r.action === "order.created")).toBe(true);
    expect(records.at(-1)).toMatchObject({ type: "end", events: orders!.n });
  } finally {
    await sql.end();
  }
});

test("Verify now recomputes the chain and reports on it", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/audit");
  await page.getByRole("link", { name: "Verify now" }).click();
  await expect(page.getByRole("heading", { name: "Chain verification" })).toBeVisible();
  await expect(page.getByTestId("verify-report")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("verify-report")).toContainText("Intact");
});

test("a buyer without audit:read is told which permission is missing, and the attempt is recorded", async ({ page, context }) => {
  const sql = openDemoDb();
  try {
    const count = async () => (await sql<{ n: number }[]>`select count(*)::int as n from audit_events where action = 'audit.read.denied' and actor_label = 'buyer@acme.test'`)[0]!.n;
    const before = await count();
    await signInViaApi(context, "buyer@acme.test");
    await page.goto("/orgs/acme/audit");
    await expect(page.getByRole("alert").filter({ hasText: "audit:read" })).toContainText("You need the audit:read permission");
    await expect(page.locator("tbody tr")).toHaveCount(0);
    expect(await count()).toBeGreaterThan(before);
    const exported = await page.request.get("/orgs/acme/audit/export?format=csv");
    expect(exported.status()).toBe(403);
  } finally {
    await sql.end();
  }
});

test("browsing other pages records no audit.read.denied: a member without audit:read is shown no Audit link to prefetch", async ({ page, context }) => {
  const sql = openDemoDb();
  try {
    const count = async () => (await sql<{ n: number }[]>`select count(*)::int as n from audit_events where action = 'audit.read.denied' and actor_label = 'manager@acme.test'`)[0]!.n;
    await signInViaApi(context, "manager@acme.test");
    await page.goto("/orgs/acme");
    // The navigation shows only the sections the member can use (lib/shell/nav-sections.ts).
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" })).toHaveCount(0);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
    await expect(page).toHaveURL(/\/orgs\/acme\/orders/);
    await expect(page.getByRole("heading", { name: "Orders", exact: true })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await count()).toBe(0);
  } finally {
    await sql.end();
  }
});
