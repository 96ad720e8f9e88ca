import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/sign-in";

// Unique per run, so the spec passes again on a reused data dir.
const run = Date.now().toString(36).toUpperCase();
const sku = `E2E-${run}`;

test("Northwind's ops imports a small CSV with a preview and errors per row, then sees the products; Acme's buyer browses and searches the catalog at Acme's own prices", async ({ page, context, browser }) => {
  await signInViaApi(context, "ops@northwind.test");
  await page.goto("/orgs/northwind");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Accounts" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Account orders" })).toBeVisible();
  await nav.getByRole("link", { name: "Catalog" }).click();
  await expect(page.getByRole("heading", { name: "Catalog" })).toBeVisible();
  await page.getByRole("link", { name: "Import CSV" }).click();
  await expect(page.getByRole("heading", { name: "Import catalog" })).toBeVisible();

  const csv = ["sku,name,category,unit,price_usd,price_eur", `${sku}-1,Widget ${run},E2E,each,12.50,11.50`, `${sku}-2,Gadget ${run},E2E,box,"3,5",`, `${sku}-3,Gizmo ${run},E2E,box,4.00,`].join("\n");
  await page.getByLabel("CSV file").setInputFiles({ name: "e2e-catalog.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Upload and preview" }).click();
  await expect(page.getByRole("heading", { name: "e2e-catalog.csv" })).toBeVisible();
  await expect(page.getByTestId("import-errors")).toContainText('row 3, column price_usd: "3,5" is not an amount');
  await expect(page.getByTestId("import-valid")).toHaveText("2");

  await page.getByRole("button", { name: "Apply 2 valid rows" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Import applied." })).toBeVisible();
  await expect(page.getByTestId("import-progress")).toHaveText("2 of 2 rows applied (2 new, 0 updated, 0 unchanged)");
  await expect(page.getByRole("progressbar", { name: "Rows applied" })).toHaveAttribute("aria-valuenow", "2");

  await page.goto(`/orgs/northwind/catalog?q=${run.toLowerCase()}`);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows.filter({ hasText: `Widget ${run}` })).toContainText("$12.50");
  await expect(rows.filter({ hasText: `Gizmo ${run}` })).toBeVisible();
  await expect(rows.filter({ hasText: `Gadget ${run}` })).toHaveCount(0);

  // Acme's buyer, in their own browser.
  const buyerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const buyer = await buyerContext.newPage();
  await signInViaApi(buyerContext, "buyer@acme.test");
  await buyer.goto("/orgs/acme");
  const buyerNav = buyer.getByRole("navigation", { name: "Main" });
  await expect(buyerNav.getByRole("link", { name: "Accounts" })).toHaveCount(0);
  await buyerNav.getByRole("link", { name: "Catalog" }).click();
  await expect(buyer.getByRole("heading", { name: "Northwind Supply catalog" })).toBeVisible();

  await buyer.getByLabel("SKU or name").fill(`widget ${run}`);
  await buyer.getByRole("button", { name: "Search" }).click();
  const widget = buyer.getByRole("row").filter({ hasText: `Widget ${run}` });
  await expect(widget).toContainText("$12.50");
  await expect(widget).not.toContainText("your price");

  // Acme has its own price on the hex bolts: the buyer sees that one, marked as theirs.
  await buyer.getByLabel("SKU or name").fill("HX-2210");
  await buyer.getByRole("button", { name: "Search" }).click();
  const bolt = buyer.getByRole("row").filter({ hasText: "HX-2210" });
  await expect(bolt).toContainText("$17.50");
  await expect(bolt).toContainText("your price");

  // In euros: the list price in EUR, where there is one.
  await buyer.getByLabel("SKU or name").fill(run);
  await buyer.getByLabel("Currency").selectOption("EUR");
  await buyer.getByRole("button", { name: "Search" }).click();
  await expect(buyer.getByRole("row").filter({ hasText: `Widget ${run}` })).toContainText("€11.50");
  await expect(buyer.getByRole("row").filter({ hasText: `Gizmo ${run}` })).toContainText("No price in EUR");

  // Works at 390 px wide: nothing but the table scrolls sideways.
  await buyer.setViewportSize({ width: 390, height: 800 });
  await expect(buyer.getByRole("heading", { name: "Northwind Supply catalog" })).toBeVisible();
  const overflow = await buyer.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The supplier's pages do not exist for a customer.
  expect((await buyer.goto("/orgs/acme/accounts"))?.status()).toBe(404);
  expect((await buyer.goto("/orgs/acme/account-orders"))?.status()).toBe(404);
  await buyerContext.close();
});

test("ops sees Acme on the Accounts page with its orders, and the order list across accounts filtered to Acme", async ({ page, context }) => {
  await signInViaApi(context, "ops@northwind.test");
  await page.goto("/orgs/northwind/accounts");
  const acme = page.getByRole("row").filter({ hasText: "Acme Industrial" });
  await expect(acme).toContainText("Gold");
  await expect(acme.getByTestId("account-order-count")).not.toHaveText("0");
  await acme.getByRole("link", { name: "Acme Industrial" }).click();
  await expect(page.getByRole("heading", { name: "Acme Industrial" })).toBeVisible();
  await page.getByRole("link", { name: "This account's orders" }).click();
  await expect(page.getByRole("heading", { name: "Orders across accounts" })).toBeVisible();
  await expect(page.getByLabel("Account")).toHaveValue(/[0-9a-f-]{36}/);
  const first = page.getByRole("table").getByRole("row").nth(1);
  await expect(first).toContainText("Acme Industrial");
  await first.getByRole("link").click();
  await expect(page.getByRole("heading", { name: /^Order PO-/ })).toBeVisible();
});
