import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { openDemoDb } from "./support/demo-db";
import { signInViaApi } from "./support/sign-in";

// The Intake page as Northwind's operations persona: a channel made with the CLI, payloads POSTed to
// its URL with its token (the server's own pg-boss worker processes them), its health figures and
// chart, and its dead letters inspected, discarded and replayed from the page.

function cli(...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "", SMTP_URL: "" }, encoding: "utf8" });
}

const run = randomUUID().slice(0, 8);
const channelName = `E2E orders ${run}`;
const quietName = `E2E quiet ${run}`;
const order = (number: string, sku: string) => JSON.stringify({ documentNumber: number, kind: "original", currency: "USD", lines: [{ lineNumber: "1", vendorPartNumber: sku, quantity: "2", unitPrice: "17.50" }] });
const good = `E2E-OK-${run}`;
const unknownSku = `E2E-BAD-${run}`;

test.describe.configure({ mode: "serial" });
let created: { id: string; token: string };

test.beforeAll(async ({ playwright }) => {
  // The documents carry no sender or ship-to: the channel's default account and branch take them.
  const sql = openDemoDb();
  const [chicago] = await sql<{ id: string }[]>`select b.id from branches b join organizations o on o.id = b.org_id where o.slug = 'acme' and b.name = 'Chicago'`;
  await sql.end();
  // A second channel that receives nothing: its chart is the empty state.
  cli("intake", "channel", "create", "--org", "northwind", "--format", "json", "--name", quietName, "--json");
  created = JSON.parse(cli("intake", "channel", "create", "--org", "northwind", "--format", "json", "--name", channelName, "--default-account", "acme", "--default-branch", chicago!.id, "--json"));
  const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const send = async (body: string) => {
    const response = await api.post(`/api/v1/intake/channels/${created.id}/messages`, { headers: { authorization: `Bearer ${created.token}`, "content-type": "application/json" }, data: body });
    expect(response.status(), await response.text()).toBe(202);
  };
  await send(order(good, "HX-2210"));
  await send(order(unknownSku, `NOPE-${run}`));
  // Not JSON at all: the whole message is a dead letter.
  await send(`{"documentNumber": "E2E-BROKEN-${run}", `);
  await api.dispose();
});

/** The Intake page once the worker has processed all three payloads (both dead letters are listed). */
async function openIntake(page: Page) {
  await expect(async () => {
    await page.goto("/orgs/northwind/intake");
    await expect(letter(page, `order ${unknownSku}`)).toBeVisible({ timeout: 1000 });
    await expect(letter(page, "whole message")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}
const channelCard = (page: Page) => page.getByRole("region", { name: "Channels" }).getByRole("listitem").filter({ hasText: channelName });
const letter = (page: Page, text: string) => page.getByRole("region", { name: "Dead letters" }).getByRole("listitem").filter({ hasText: `${channelName}: ${text}` });

test("operations sees the channel's health and chart, inspects a dead letter, discards one and replays the other", async ({ page, context }) => {
  await signInViaApi(context, "ops@northwind.test");
  await openIntake(page);
  await expect(page.getByRole("heading", { name: "Intake", level: 1 })).toBeVisible();

  const card = channelCard(page);
  await expect(card).toContainText("Last success");
  // Three documents: the order, the one with an unknown SKU, and the unreadable message.
  await expect(card).toContainText(/Documents, 24 h\s*3/);
  await expect(card).toContainText(/Error rate, 24 h\s*66\.7 %/);
  await expect(card).toContainText(/Dead letters\s*2/);
  // The chart's text alternatives: its summary, and the table of hours behind it.
  await expect(card.getByRole("img", { name: /Documents per hour over the last 24 hours for .*: 1 processed, 0 held, 2 failed/ })).toBeVisible();
  const table = card.getByRole("table", { name: `Documents per hour for ${channelName}, last 24 hours` });
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(card.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const quiet = page.getByRole("region", { name: "Channels" }).getByRole("listitem").filter({ hasText: quietName });
  await expect(quiet).toContainText("No documents in the last 24 hours");
  await expect(quiet.getByRole("img", { name: /Documents per hour/ })).toHaveCount(0);

  // No serious or critical accessibility problem on the page with its chart and dead letters.
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // Inspect: the reason names the SKU, and the raw payload is the bytes that were sent.
  const bad = letter(page, `order ${unknownSku}`);
  await expect(bad).toContainText(`NOPE-${run}`);
  const rawHref = await bad.getByRole("link", { name: "raw payload" }).getAttribute("href");
  const raw = await context.request.get(rawHref!);
  expect(raw.status()).toBe(200);
  expect(await raw.text()).toBe(order(unknownSku, `NOPE-${run}`));

  // Discard it, with a reason.
  await bad.getByLabel("Reason to discard").fill("Buyer confirmed the SKU was a typo; they re-sent it");
  await bad.getByRole("button", { name: "Discard" }).click();
  await expect(page.getByRole("status")).toHaveText("Discarded.");
  await expect(letter(page, `order ${unknownSku}`)).toHaveCount(0);

  // Replay the broken one with a corrected payload: it becomes an order, and leaves the list.
  const broken = letter(page, "whole message");
  await broken.getByLabel("Corrected payload (optional)").fill(order(`E2E-FIXED-${run}`, "HX-2210"));
  await broken.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByRole("status")).toContainText(/Replayed: document 1 (created|held)/);
  await expect(letter(page, "whole message")).toHaveCount(0);
  // The replay rewrote the unreadable message's document in place: the hour now has two processed.
  await expect(channelCard(page).getByRole("img", { name: /: 2 processed, 0 held, 1 failed|: 1 processed, 1 held, 1 failed/ })).toBeVisible();
  await expect(channelCard(page)).toContainText(/Dead letters\s*0/);
});

test("the Intake page fits a 390 px phone, the chart included", async ({ page, context }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(context, "ops@northwind.test");
  await page.goto("/orgs/northwind/intake");
  const card = channelCard(page);
  await expect(card.getByRole("img", { name: /Documents per hour/ })).toBeVisible();
  await expect(card.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const box = await card.getByRole("img", { name: /Documents per hour/ }).boundingBox();
  expect(box!.width).toBeGreaterThan(200);
  // Nothing pushes the page sideways; if something does, say what (clipped content, such as the
  // visually hidden table, may reach past the edge without widening the page, so only then look).
  const overflow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    culprits: document.documentElement.scrollWidth > window.innerWidth ? Array.from(document.body.querySelectorAll("*")).filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""}`) : [],
  }));
  expect(overflow).toEqual({ scrollWidth: 390, culprits: [] });
});

test("a customer's admin, without intake:manage, is told the page is not theirs", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/intake");
  await expect(page.getByText("You cannot manage order intake here")).toBeVisible();
  await expect(page.getByRole("region", { name: "Channels" })).toHaveCount(0);
});

test("a gzip-compressed order through the real HTTP server is stored decoded and becomes an order", async ({ request }) => {
  const number = `E2E-GZ-${run}`;
  const response = await request.post(`/api/v1/intake/channels/${created.id}/messages`, {
    headers: { authorization: `Bearer ${created.token}`, "content-type": "application/json", "content-encoding": "gzip" },
    data: gzipSync(order(number, "HX-2210")),
  });
  expect(response.status(), await response.text()).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const sql = openDemoDb();
  try {
    const [message] = await sql<{ raw: Buffer; encoding: string | null }[]>`select raw, headers->>'x-received-content-encoding' as encoding from intake_messages where id = ${id}`;
    expect({ raw: Buffer.from(message!.raw).toString("utf8"), encoding: message!.encoding }).toEqual({ raw: order(number, "HX-2210"), encoding: "gzip" });
    // The server's own worker turns it into an order.
    await expect.poll(async () => (await sql<{ status: string }[]>`select status::text from intake_documents where message_id = ${id}`).map((d) => d.status), { timeout: 30_000 }).toEqual(["created"]);
  } finally {
    await sql.end();
  }
  // An unknown coding is refused with a plain reason.
  const refused = await request.post(`/api/v1/intake/channels/${created.id}/messages`, { headers: { authorization: `Bearer ${created.token}`, "content-encoding": "compress" }, data: "x" });
  expect(refused.status()).toBe(415);
  expect(((await refused.json()) as { detail: string }).detail).toContain('"compress" is not supported');
});

test("the raw payload download answers 404 to anyone who may not read it, and to a malformed id", async ({ browser, request }) => {
  const baseURL = test.info().project.use.baseURL;
  const sql = openDemoDb();
  const [message] = await sql<{ id: string }[]>`select id from intake_messages where channel_id = ${created.id} order by received_at limit 1`;
  await sql.end();
  const path = (org: string, id: string) => `/orgs/${org}/intake/messages/${id}/raw`;
  const as = async (email: string, password?: string) => {
    const context = await browser.newContext({ baseURL });
    await signInViaApi(context, email, password);
    return context;
  };

  // The control: the supplier's operations persona gets the bytes, so each 404 below is a refusal.
  const ops = await as("ops@northwind.test");
  expect((await ops.request.get(path("northwind", message!.id))).status()).toBe(200);
  // Malformed ids: not a uuid, a NUL byte, a uuid that names nothing.
  for (const bad of ["not-a-uuid", "%00", randomUUID()]) expect((await ops.request.get(path("northwind", bad))).status(), bad).toBe(404);
  await ops.close();

  // Signed out.
  expect((await request.get(path("northwind", message!.id))).status()).toBe(404);

  // Too little permission: a supplier member whose role (Viewer) lacks intake:manage.
  const viewerEmail = `viewer-${run}@northwind.test`;
  cli("user", "create", "--org", "northwind", "--email", viewerEmail, "--password", "viewer password 2026", "--role", "Viewer");
  const viewer = await as(viewerEmail, "viewer password 2026");
  expect((await viewer.request.get(path("northwind", message!.id))).status()).toBe(404);
  await viewer.close();

  // Wrong org: a customer's admin, through their own org and through the supplier's.
  const admin = await as("admin@acme.test");
  expect((await admin.request.get(path("acme", message!.id))).status()).toBe(404);
  expect((await admin.request.get(path("northwind", message!.id))).status()).toBe(404);
  await admin.close();
});
