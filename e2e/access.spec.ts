import { expect, test, type Locator } from "@playwright/test";
import { expectedOrderCount, openDemoDb } from "./support/demo-db";
import { startE2eMailSink } from "./support/mail";
import { DEMO_PASSWORD, signInViaApi } from "./support/sign-in";

/** Branch options are indented with non-breaking spaces; pick one by its visible name. */
async function selectBranch(select: Locator, name: string) {
  const value = await select.locator("option").filter({ hasText: new RegExp(`^\\s*${name}$`) }).getAttribute("value");
  await select.selectOption(value ?? "");
}

test("the regional manager grants a buyer a role in their own region; the buyer sees exactly that region's orders; the manager cannot grant Admin or reach another region", async ({ page, context, browser }) => {
  const email = `newbuyer.${Date.now()}@acme.test`;
  const sql = openDemoDb();
  const mail = await startE2eMailSink();
  try {
    await signInViaApi(context, "manager@acme.test");
    await page.goto("/orgs/acme/users");
    await expect(page.getByRole("link", { name: "buyer.berlin@acme.test" })).toHaveCount(0);
    await page.getByRole("link", { name: "Add member" }).click();
    await expect(page.getByRole("heading", { name: "Add member" })).toBeVisible();

    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Name (optional)").fill("Newt Buyer");
    const memberBranch = page.getByLabel("Branch");
    await expect(memberBranch.locator("option").filter({ hasText: /EMEA|Berlin|Leeds|Whole organization/ })).toHaveCount(0);
    await selectBranch(memberBranch, "Toronto");
    await expect(page.getByRole("option", { name: /^Admin/ })).toBeDisabled();
    await page.getByLabel("Role").selectOption({ label: "Viewer" });
    await page.getByRole("button", { name: "Add member" }).click();

    await expect(page.getByRole("heading", { name: "Newt Buyer" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Member added." })).toBeVisible();
    const grants = page.getByRole("region", { name: "Grants" });
    await expect(grants.getByRole("row", { name: /Viewer\s+Toronto/ })).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke Viewer at Toronto" })).toBeEnabled();

    // Add Buyer at North America: EMEA is not offered, Admin stays disabled there.
    const grantBranch = page.getByLabel("Branch");
    await expect(grantBranch.locator("option").filter({ hasText: /EMEA|Berlin|Leeds/ })).toHaveCount(0);
    await selectBranch(grantBranch, "North America");
    await expect(page.getByRole("option", { name: /^Admin/ })).toBeDisabled();
    await expect(page.getByText(/Admin: The role includes permissions you do not hold there/)).toBeVisible();
    await page.getByLabel("Role").selectOption({ label: "Buyer" });
    await page.getByRole("button", { name: "Add grant" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Grant added." })).toBeVisible();
    await expect(grants.getByRole("row", { name: /Buyer\s+North America/ })).toBeVisible();

    // Another region's member is not found, not merely hidden from the list.
    const [berlin] = await sql<{ id: string }[]>`select m.id from memberships m join users u on u.id = m.user_id where u.email = 'buyer.berlin@acme.test'`;
    const foreign = await page.goto(`/orgs/acme/users/${berlin!.id}`);
    expect(foreign?.status()).toBe(404);

    // The new member accepts the emailed invitation, choosing their own password, is signed in by
    // it (a Buyer: no MFA is due), and then sees exactly North America's orders.
    const invitation = await mail.waitForMail((m) => m.to.includes(email));
    const link = invitation.links.find((l) => l.includes("/invitation?token="))!;
    const buyerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const buyerPage = await buyerContext.newPage();
    await buyerPage.goto(link);
    await buyerPage.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
    await buyerPage.getByLabel("Confirm password").fill(DEMO_PASSWORD);
    await buyerPage.getByRole("button", { name: "Accept and set password" }).click();
    await expect(buyerPage).toHaveURL(/\/orgs\/acme$/);
    await expect(buyerPage.getByTestId("visible-order-count")).toHaveText(await expectedOrderCount(sql, ["Chicago", "Toronto"]));
    await buyerPage.goto("/orgs/acme/orders");
    const branchCells = buyerPage.locator("tbody tr td:nth-child(3)");
    await expect(branchCells.first()).toBeVisible();
    for (const name of new Set(await branchCells.allInnerTexts())) expect(["Chicago", "Toronto"]).toContain(name);
    await buyerContext.close();
  } finally {
    await mail.close();
    await sql.end();
  }
});

test("controls the manager may not use are absent: own grants, roles editing, branch management", async ({ page, context }) => {
  await signInViaApi(context, "manager@acme.test");
  await page.goto("/orgs/acme/users");
  await page.getByRole("link", { name: "manager@acme.test" }).click();
  await expect(page.getByRole("heading", { name: "Manny Manager" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Revoke/ })).toHaveCount(0);
  await expect(page.getByText("You cannot change your own grants")).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Roles" }).click();
  await expect(page.getByRole("columnheader", { name: /Manager/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "New role" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Edit / })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Branches" }).click();
  const tree = page.getByRole("region", { name: "Branch tree" });
  await expect(tree.getByText("North America")).toBeVisible();
  await expect(tree.getByText("EMEA")).toHaveCount(0);
  await expect(tree.getByRole("link", { name: /^Manage/ })).toHaveCount(0);
  await tree.getByRole("link", { name: "Expand North America" }).click();
  await expect(tree.getByText("Toronto")).toBeVisible();
});

test("an admin duplicates a role and the matrix tells direct from inherited permissions", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/roles");
  await page.getByRole("link", { name: "Duplicate Buyer" }).click();
  await expect(page.getByRole("heading", { name: "Duplicate Buyer" })).toBeVisible();
  const name = `Night Buyer ${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("orders:approve").check();
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Role created." })).toBeVisible();

  const column = (await page.getByRole("columnheader").allInnerTexts()).findIndex((t) => t.startsWith(name));
  expect(column).toBeGreaterThan(0);
  // Row names start with the permission key; the space keeps orders:read from matching orders:read-own.
  const cell = (permission: string) => page.getByRole("row", { name: new RegExp(`^${permission}\\s`) }).getByRole("cell").nth(column - 1);
  await expect(cell("orders:approve")).toHaveText(/^\W*direct$/);
  await expect(cell("orders:create")).toHaveText(/^\W*direct$/);
  await expect(cell("orders:read")).toHaveText(/inherited from\s*Viewer/);
  await expect(cell("audit:read")).toHaveText("none");
});

test("an admin adds, renames and moves a branch, cannot move it under itself, and deletes only an empty one", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/branches");
  const suffix = Date.now();
  await page.getByLabel("New top-level branch").fill(`Osaka ${suffix}`);
  await page.getByRole("button", { name: "Add branch" }).click();
  const tree = page.getByRole("region", { name: "Branch tree" });
  await tree.getByRole("link", { name: `Manage Osaka ${suffix}` }).click();

  await page.getByLabel(`New branch under Osaka ${suffix}`).fill(`Kyoto ${suffix}`);
  await page.getByRole("button", { name: "Add branch" }).last().click();
  // The top-level form may still show its own "Branch added." from the first add: read this one's.
  await expect(page.getByRole("region", { name: `Manage Osaka ${suffix}` }).getByRole("status").filter({ hasText: "Branch added." })).toBeVisible();
  // The new branch is revealed: its parent opens in the tree, and the page goes to it.
  await expect(tree.getByText(`Kyoto ${suffix}`, { exact: true })).toBeVisible();
  await expect(page).toHaveURL(/#branch-[0-9a-f-]{36}$/);
  await page.getByLabel("Name", { exact: true }).fill(`Kansai ${suffix}`);
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { name: `Manage Kansai ${suffix}` })).toBeVisible();

  const parent = page.getByLabel(`New parent of Kansai ${suffix}`);
  await expect(parent.locator("option").filter({ hasText: `Kyoto ${suffix}` })).toHaveCount(0);
  await selectBranch(parent, "EMEA");
  await page.getByRole("button", { name: "Move branch" }).click();
  await expect(page.getByText("In: EMEA")).toBeVisible();

  // Deleting asks first, and a branch with a child is refused with the reason.
  const kansai = page.getByRole("region", { name: `Manage Kansai ${suffix}` });
  await kansai.getByRole("button", { name: `Delete Kansai ${suffix}` }).click();
  await kansai.getByRole("button", { name: "Yes, delete" }).click();
  await expect(kansai.getByRole("alert")).toContainText(`Kansai ${suffix} cannot be deleted: it still has 1 child branch`);
  // An empty branch goes, after the confirmation, and leaves the tree.
  await page.getByLabel("New top-level branch").fill(`Nara ${suffix}`);
  await page.getByRole("button", { name: "Add branch" }).first().click();
  await tree.getByRole("link", { name: `Manage Nara ${suffix}` }).click();
  const nara = page.getByRole("region", { name: `Manage Nara ${suffix}` });
  await nara.getByRole("button", { name: `Delete Nara ${suffix}` }).click();
  await nara.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByRole("region", { name: `Manage Nara ${suffix}` })).toHaveCount(0);
  await expect(tree.getByText(`Nara ${suffix}`, { exact: true })).toHaveCount(0);
});

test("the access explorer shows the grant and role chain, or the reason", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access" }).click();
  await page.getByLabel("Member email").fill("buyer@acme.test");
  await page.getByLabel("Permission").selectOption("orders:read");
  await selectBranch(page.getByLabel("Branch"), "Chicago");
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(page.getByRole("heading", { name: "Allowed" })).toBeVisible();
  await expect(page.getByText("Buyer → Viewer")).toBeVisible();

  await selectBranch(page.getByLabel("Branch"), "Berlin");
  await page.getByRole("button", { name: "Explain" }).click();
  await expect(page.getByRole("heading", { name: "Denied" })).toBeVisible();
  await expect(page.getByText(/granted only for other parts of the branch tree: Chicago/)).toBeVisible();
});
