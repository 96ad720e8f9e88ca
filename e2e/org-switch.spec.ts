import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { openDemoDb } from "./support/demo-db";
import { signInViaApi } from "./support/sign-in";

// The CLI finds the e2e server's embedded database through the data dir, as an operator would.
function cli(...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "", SMTP_URL: "" }, encoding: "utf8" });
}

/** Invites an existing account to Beta as the operator; without SMTP_URL the CLI prints the link (returned as a path). */
function inviteToBeta(email: string, role: string): string {
  const out = cli("user", "create", "--org", "beta", "--email", email, "--role", role);
  expect(out).toContain(`Added ${email} to beta as ${role}`);
  const link = /(http\S+\/invitation\?token=[\w-]+)/.exec(out)?.[1];
  if (!link) throw new Error(`no invitation link in: ${out}`);
  // The CLI builds links from its own APP_URL; the page is the same on the e2e server.
  const { pathname, search } = new URL(link);
  return pathname + search;
}

test.describe.configure({ mode: "serial" });

// Someone of their own, active in Acme only: a new account the operator may give a password.
const casey = { email: "casey.buyer@acme.test", password: "casey's own long passphrase" };

test.beforeAll(() => {
  cli("org", "create", "--name", "Beta Supply", "--slug", "beta");
  cli("branch", "create", "--org", "beta", "--name", "Lyon");
  cli("user", "create", "--org", "acme", "--email", casey.email, "--password", casey.password, "--role", "Buyer", "--branch", "Toronto");
});

test("a member of two organizations switches between them and sees each one's own orders", async ({ page, context }) => {
  // Joining Beta takes the person's own yes: invited, then accepted signed in as themselves.
  const link = inviteToBeta("admin@acme.test", "Admin");
  await signInViaApi(context, "admin@acme.test");
  await page.goto(link);
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(page).toHaveURL(/\/orgs\/beta$/);

  await page.goto("/orgs/acme");
  await expect(page.getByTestId("visible-order-count")).not.toHaveText("0");

  await page.getByLabel("Organization").selectOption({ label: "Beta Supply" });
  await expect(page).toHaveURL(/\/orgs\/beta$/);
  await expect(page.getByText(/^No orders you can see in the last \d+ weeks$/)).toBeVisible();

  // Another org's slug that the viewer does not belong to is simply not found.
  const stranger = await page.goto("/orgs/not-a-member-org");
  expect(stranger?.status()).toBe(404);
});

test("An org's admin acts on a member only within that org: an existing user invited to a second org signs in from the link, accepts, and only then sees it in the switcher", async ({ page }) => {
  const { email, password } = casey;
  const link = inviteToBeta(email, "Buyer");

  // Signed out, the link asks them to sign in as that account, and brings them back.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Join Beta Supply" })).toBeVisible();
  await expect(page.getByText("already has a Countersign account")).toBeVisible();
  await page.getByRole("link", { name: "Sign in to accept" }).click();
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/invitation\?token=/);
  await expect(page.getByText(`You are signed in as ${email}`)).toBeVisible();

  // Invited is not joined: Beta is not theirs yet, and not in the switcher.
  expect((await page.goto("/orgs/beta"))?.status()).toBe(404);
  await page.goto("/orgs/acme");
  await expect(page.getByRole("banner").getByText("Acme Industrial")).toBeVisible();
  await expect(page.getByLabel("Organization")).toHaveCount(0);

  await page.goto(link);
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(page).toHaveURL(/\/orgs\/beta$/);
  await expect(page.getByLabel("Organization").locator("option")).toHaveText(["Acme Industrial", "Beta Supply"]);

  // The link is used up.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Invitation not valid" })).toBeVisible();
});

test("An org's admin acts on a member only within that org: Beta ending a member's sessions signs them out of Beta only, until they sign in again", async ({ browser, context, page }) => {
  await signInViaApi(context, casey.email, casey.password);
  await page.goto("/orgs/beta");
  await expect(page.getByLabel("Organization")).toHaveValue("beta");

  // Beta's administrator ends Casey's sessions there, from Casey's member page.
  const sql = openDemoDb();
  const admin = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const [membership] = await sql<{ id: string }[]>`select m.id from memberships m join users u on u.id = m.user_id join organizations o on o.id = m.org_id where u.email = ${casey.email} and o.slug = 'beta'`;
    await signInViaApi(admin, "admin@acme.test");
    const adminPage = await admin.newPage();
    await adminPage.goto(`/orgs/beta/users/${membership!.id}`);
    await expect(adminPage.getByTestId("member-sessions")).toHaveCount(0);
    await adminPage.getByRole("button", { name: "End sessions here" }).click();
    await adminPage.getByRole("button", { name: "Yes, end sessions here" }).click();
    await expect(adminPage.getByRole("status").filter({ hasText: "Their sessions here ended" })).toBeVisible();
  } finally {
    await admin.close();
    await sql.end();
  }

  // The same cookie: Beta asks for a fresh sign-in, Acme still works.
  await page.goto("/orgs/beta/orders");
  await expect(page).toHaveURL(/\/sign-in\?notice=org-session-ended&callbackUrl=%2Forgs%2Fbeta%2Forders/);
  await expect(page.getByRole("status")).toContainText("ended your session there");
  await page.goto("/orgs/acme");
  await expect(page).toHaveURL(/\/orgs\/acme$/);
  await expect(page.getByTestId("viewer-email")).toHaveText(casey.email);

  await page.goto("/orgs/beta/orders");
  await page.getByLabel("Email").fill(casey.email);
  await page.getByLabel("Password").fill(casey.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orgs\/beta\/orders$/);
});
