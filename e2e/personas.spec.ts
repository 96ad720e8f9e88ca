import { expect, test } from "@playwright/test";
import { expectedOrderCount, openDemoDb } from "./support/demo-db";
import { DEMO_PASSWORD, signInViaApi } from "./support/sign-in";

const personas = [
  { email: "admin@acme.test", branches: "all" as const },
  { email: "manager@acme.test", branches: ["Chicago", "Toronto"] },
  { email: "buyer@acme.test", branches: ["Chicago"] },
  { email: "auditor@acme.test", branches: "all" as const },
];

test.describe("each demo persona sees the orders their role and branch allow", () => {
  for (const persona of personas) {
    test(`${persona.email} sees ${persona.branches === "all" ? "every order" : persona.branches.join(" and ")}`, async ({ page, context }) => {
      const sql = openDemoDb();
      try {
        const expected = await expectedOrderCount(sql, persona.branches);
        await signInViaApi(context, persona.email);
        await page.goto("/");
        await expect(page).toHaveURL(/\/orgs\/acme$/);
        await expect(page.getByTestId("visible-order-count")).toHaveText(expected);

        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
        await expect(page).toHaveURL(/\/orgs\/acme\/orders/);
        await expect(page.getByRole("heading", { name: "Orders", exact: true })).toBeVisible();
        const branchCells = page.locator("tbody tr td:nth-child(3)");
        await expect(branchCells.first()).toBeVisible();
        const seen = new Set(await branchCells.allInnerTexts());
        if (persona.branches !== "all") for (const name of seen) expect(persona.branches).toContain(name);
        else expect(seen.size).toBeGreaterThan(2);
      } finally {
        await sql.end();
      }
    });
  }
});

test("the sign-in form signs a buyer in, and a wrong password gets one generic message", async ({ page }) => {
  // The server must never echo a submitted password back (house style: "what to avoid").
  const actionBodies: Promise<string>[] = [];
  page.on("response", (r) => {
    if (r.request().method() === "POST") actionBodies.push(r.text().catch(() => ""));
  });
  await page.goto("/orgs/acme/orders");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill("buyer@acme.test");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Incorrect" })).toHaveText("Incorrect email or password.");
  const bodies = await Promise.all(actionBodies);
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) expect(body).not.toContain("not-the-password");

  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/orders$/);
  await expect(page.getByTestId("viewer-email")).toHaveText("buyer@acme.test");
});

test("After logout the old cookie is rejected", async ({ page, context, browser }) => {
  await signInViaApi(context, "manager@acme.test");
  const oldCookies = await context.cookies();
  await page.goto("/orgs/acme");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  // Replay the cookie from before sign-out in a fresh browser: the server must refuse it.
  const replay = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await replay.addCookies(oldCookies);
  const session = await (await replay.request.get("/api/auth/session")).json();
  expect(session).toBeNull();
  const replayPage = await replay.newPage();
  await replayPage.goto("/orgs/acme/orders");
  await expect(replayPage).toHaveURL(/\/sign-in/);
  await replay.close();
});

test("a buyer opening another branch's order by id gets not found", async ({ page, context }) => {
  const sql = openDemoDb();
  try {
    const [berlin] = await sql<{ id: string }[]>`select o.id from orders o join branches b on b.id = o.branch_id where b.name = 'Berlin' limit 1`;
    const [chicago] = await sql<{ id: string; number: string }[]>`select o.id, o.number from orders o join branches b on b.id = o.branch_id where b.name = 'Chicago' limit 1`;
    await signInViaApi(context, "buyer@acme.test");
    const own = await page.goto(`/orgs/acme/orders/${chicago!.id}`);
    expect(own?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: `Order ${chicago!.number}` })).toBeVisible();
    const foreign = await page.goto(`/orgs/acme/orders/${berlin!.id}`);
    expect(foreign?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  } finally {
    await sql.end();
  }
});

test("orders paginate with keyset cursors and sort from the column header, by keyboard", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/orders");
  const firstNumbers = await page.locator("tbody tr td:first-child").allInnerTexts();
  expect(firstNumbers).toHaveLength(50);
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/cursor=/);
  const secondNumbers = await page.locator("tbody tr td:first-child").allInnerTexts();
  expect(secondNumbers.filter((n) => firstNumbers.includes(n))).toEqual([]);

  await page.getByRole("link", { name: /Total/ }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/sort=total/);
  await expect(page.getByRole("columnheader", { name: /Total/ })).toHaveAttribute("aria-sort", "descending");
});
