import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/sign-in";

test("the buyer orders USD 6,000 in Chicago at 390 px, the manager approves it from the inbox, the buyer sees it placed with its history", async ({ page, context, browser }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(context, "buyer@acme.test");
  await page.goto("/orgs/acme/orders");
  await page.getByRole("link", { name: "New order" }).click();
  await expect(page.getByRole("heading", { name: "New order" })).toBeVisible();
  await page.getByLabel("Branch").selectOption({ label: "\u00a0\u00a0Chicago" });
  // HX-2210 at Acme's own price, USD 17.50: 343 boxes are USD 6,002.50, over the USD 5,000 rule.
  await page.getByLabel("Lines").fill("HX-2210 343");
  await page.getByLabel("Note").fill("For the Chicago dock");
  await page.getByRole("button", { name: "Submit order" }).click();
  await expect(page.getByRole("heading", { name: /^Order PO-/ })).toBeVisible();
  await expect(page.getByText("submitted", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Approval history" }).or(page.locator("section[aria-labelledby=approvals-heading]"))).toContainText("North America over USD 5,000");
  const number = (await page.getByRole("heading", { name: /^Order PO-/ }).textContent())!.replace(/^Order /, "").replace(/submitted$/i, "").trim();
  // The page fits the phone: nothing pushes it sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const managerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const manager = await managerContext.newPage();
  await signInViaApi(managerContext, "manager@acme.test");
  await manager.goto("/orgs/acme/approvals");
  await expect(manager.getByRole("heading", { name: "Approvals" })).toBeVisible();
  await manager.getByLabel(`Select order ${number}`).check();
  await manager.getByLabel(/Comment/).fill("Approved for Q3");
  await manager.getByRole("button", { name: "Approve selected" }).click();
  await expect(manager.getByText("1 decided.")).toBeVisible();

  await page.reload();
  await expect(page.getByText("approved", { exact: true })).toBeVisible();
  const history = page.locator("section[aria-labelledby=approvals-heading]");
  await expect(history).toContainText("Approved by Manny Manager");
  await expect(history).toContainText("Approved for Q3");
  await managerContext.close();
});

test("the admin reads Northwind's invoices at 390 px and approves one from the Invoices page", async ({ page, context }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/orders");
  await page.getByRole("link", { name: "Invoices" }).click();
  await expect(page.getByRole("heading", { name: "Invoices" })).toBeVisible();
  await expect(page.getByText(/^INV-PO-/).first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByRole("button", { name: "Dispute" }).first().click();
  await expect(page.getByText("Comment is required: say what is wrong with the invoice.")).toBeVisible();
  // The approved invoice leaves the decision form: its entry now says so (the page re-renders).
  const first = page.getByRole("listitem").filter({ has: page.getByRole("button", { name: "Approve", exact: true }) }).first();
  const number = (await first.getByText(/^INV-PO-/).innerText()).split(" ·")[0]!;
  await first.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByRole("listitem").filter({ hasText: number })).toContainText(/approved/);
  await page.goto("/orgs/acme/invoices?status=approved");
  await expect(page.locator("li", { hasText: "INV-PO-" }).first()).toBeVisible();
});
