import { execFileSync } from "node:child_process";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { startTestIdp, TEST_IDP_PASSWORD, type TestIdp } from "../tests/support/oidc-test-idp";
import { signInViaApi } from "./support/sign-in";

/*
 * Enterprise SSO from the dashboard to a sign-in: Acme's admin adds an Okta-shaped and an
 * Entra-shaped OIDC connection from Settings → Single sign-on, the operator verifies a domain for
 * each with the CLI's override, the admin adds a mapping rule and checks it with the dry run, and
 * someone at that domain signs in email first, through the IdP (oidc-provider on loopback, run by
 * this spec; the server allows its plain http through SSO_ALLOW_INSECURE_HTTP, set for tests in
 * playwright.config.ts) and back to the org's dashboard, created just in time.
 */

const appUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;

// The CLI finds the e2e server's embedded database through the data dir, as an operator would.
function cli(...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "", SMTP_URL: "" }, encoding: "utf8" });
}

test.describe.configure({ mode: "serial" });

let okta: TestIdp;
let entra: TestIdp;
test.beforeAll(async () => {
  okta = await startTestIdp({ redirectUri: `${appUrl}/sso/oidc/callback`, clientId: "okta-e2e", clientSecret: "okta-e2e-secret-0123456789" });
  entra = await startTestIdp({ redirectUri: `${appUrl}/sso/oidc/callback`, clientId: "entra-e2e", clientSecret: "entra-e2e-secret-0123456789" });
});
test.afterAll(async () => {
  await okta?.close();
  await entra?.close();
});

async function addConnection(page: Page, { preset, name, idp }: { preset: "okta" | "entra"; name: string; idp: TestIdp }): Promise<string> {
  await page.goto("/orgs/acme/settings/sso");
  await page.getByText("Add an OIDC connection").click();
  const form = page.getByRole("form", { name: "Add an OIDC connection" });
  await form.getByLabel("Identity provider").selectOption(preset);
  await form.getByLabel("Name (shown to people choosing how to sign in)").fill(name);
  await form.getByLabel("Issuer URL").fill(idp.issuer);
  await form.getByLabel("Client id").fill(idp.clientId);
  await form.getByLabel("Client secret (stored sealed, never shown again)").fill(idp.clientSecret);
  // The people signing in are buyers: the IdP's MFA counts for them (an admin would still owe ours).
  await form.getByLabel("Second factor").selectOption("idp");
  await form.getByRole("button", { name: "Add connection" }).click();
  await expect(form.getByRole("status")).toContainText("Connection added. Register this redirect URI at your IdP");
  const listed = JSON.parse(cli("sso", "connection", "list", "--org", "acme", "--json")) as { connections: Array<{ id: string; name: string }> };
  const id = listed.connections.find((c) => c.name === name)?.id;
  if (!id) throw new Error(`${name} is not listed`);
  return id;
}

async function addRule(page: Page, connection: string, value: string) {
  const form = page.getByRole("form", { name: "Add a mapping rule" });
  await form.getByLabel("Connection").selectOption({ label: connection });
  await form.getByLabel("Value (a group name or id, exactly as the IdP sends it)").fill(value);
  await form.getByLabel("Role", { exact: true }).selectOption({ label: "Buyer" });
  await form.getByLabel("At branch").selectOption({ label: "Whole organization" });
  await form.getByRole("button", { name: "Add rule" }).click();
  await expect(form.getByRole("status")).toContainText("Rule added");
  const dryRun = page.getByRole("form", { name: "Dry run" });
  await dryRun.getByLabel("Connection").selectOption({ label: connection });
  await dryRun.getByLabel("Groups (one per line)").fill(value);
  await dryRun.getByRole("button", { name: "Run the dry run" }).click();
  await expect(page.getByRole("form", { name: "Dry run" }).getByRole("status")).toContainText("Buyer for the whole organization");
}

/** The IdP's own login page: a real form, typed into as a person would. */
async function signInAtIdp(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in to the test IdP" })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(TEST_IDP_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function signInThroughSso(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Or sign in with your organization's single sign-on").fill(email);
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  // Email first, then the IdP's own login page (a real form), then back to the org.
  await signInAtIdp(page, email);
  await expect(page).toHaveURL(/\/orgs\/acme$/, { timeout: 30_000 });
  // A member now (created just in time): the dashboard, not a not-found page. A Buyer for the
  // whole organization sees orders.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme Industrial");
  await expect(page.getByTestId("visible-order-count")).not.toHaveText("0");
}

test("Okta-shaped: added from the dashboard, a domain verified by the operator, a rule checked by the dry run, then a new person signs in email first through the IdP", async ({ page, context, browser }) => {
  await signInViaApi(context, "admin@acme.test");
  const id = await addConnection(page, { preset: "okta", name: "Okta (e2e)", idp: okta });
  const domain = JSON.parse(cli("sso", "domain", "add", "--org", "acme", "--connection", id, "--domain", "okta-e2e.test", "--verified-by-operator", "--json")) as { verified: boolean };
  expect(domain.verified).toBe(true);
  await page.reload();
  await expect(page.getByRole("listitem").filter({ hasText: "okta-e2e.test" })).toContainText("verified (by the operator)");
  await addRule(page, "Okta (e2e)", "e2e-okta-buyers");

  // "Test connection" runs the flow and shows the claims, signing nobody in.
  okta.nextLogin = { sub: "okta-tester", email: "tester@okta-e2e.test", name: "Tess Tester", groups: ["e2e-okta-buyers"], amr: ["pwd"] };
  await page.getByRole("group", { name: "Actions for Okta (e2e)" }).getByRole("button", { name: "Test connection" }).click();
  await signInAtIdp(page, "tester@okta-e2e.test");
  await expect(page.getByRole("heading", { name: "The connection works" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('"e2e-okta-buyers"')).toBeVisible();

  const person = await browser.newContext();
  try {
    const personPage = await person.newPage();
    okta.nextLogin = { sub: `okta-${Date.now()}`, email: "pat.okta@okta-e2e.test", name: "Pat Okta", groups: ["e2e-okta-buyers"], amr: ["pwd", "mfa"] };
    await signInThroughSso(personPage, "pat.okta@okta-e2e.test");
  } finally {
    await person.close();
  }
});

test("Entra-shaped: keyed by tid + oid, app roles mapped like groups; and a connection is deleted only after a confirmation", async ({ page, context, browser }) => {
  await signInViaApi(context, "admin@acme.test");
  const id = await addConnection(page, { preset: "entra", name: "Entra (e2e)", idp: entra });
  cli("sso", "domain", "add", "--org", "acme", "--connection", id, "--domain", "entra-e2e.test", "--verified-by-operator", "--json");
  await page.reload();
  await addRule(page, "Entra (e2e)", "E2E.Buyer");

  const person = await browser.newContext();
  try {
    const personPage = await person.newPage();
    entra.nextLogin = { sub: `pairwise-${Date.now()}`, email: "sam.entra@entra-e2e.test", name: "Sam Entra", amr: ["pwd", "mfa"], extra: { tid: crypto.randomUUID(), oid: crypto.randomUUID(), roles: ["E2E.Buyer"] } };
    await signInThroughSso(personPage, "sam.entra@entra-e2e.test");
  } finally {
    await person.close();
  }

  const controls = page.getByRole("group", { name: "Actions for Entra (e2e)" });
  await controls.getByRole("button", { name: "Delete connection" }).click();
  await expect(page.getByText("Delete Entra (e2e)? Its identities and mapping rules go")).toBeVisible();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await expect(page.getByRole("group", { name: "Actions for Entra (e2e)" })).toHaveCount(0);
  // Its domain stays verified and owned, unrouted.
  await expect(page.getByRole("listitem").filter({ hasText: "entra-e2e.test" })).toContainText("(no connection)");
});

test("the settings page with connections, domains and rules passes axe, fits 390 px with every form open, and its forms say what is wrong in plain words", async ({ page, context }) => {
  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme/settings/sso");
  await page.getByText("Add an OIDC connection").click();
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Empty fields are named before anything is sent.
  const form = page.getByRole("form", { name: "Add an OIDC connection" });
  await form.getByRole("button", { name: "Add connection" }).click();
  await expect(form.getByText("is required").first()).toBeVisible();
  await form.getByLabel("Issuer URL").fill("not a url");
  await form.getByRole("button", { name: "Add connection" }).click();
  await expect(form.getByText("must be a full URL, such as https://example.okta.com")).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  const widths = await page.evaluate(() => ({ width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth }));
  expect(widths.scrollWidth).toBeLessThanOrEqual(widths.width);

  // Keyboard: the delete question takes the focus, and Cancel puts the control back.
  const controls = page.getByRole("group", { name: "Actions for Okta (e2e)" });
  await controls.getByRole("button", { name: "Delete connection" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Yes, delete" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(controls.getByRole("button", { name: "Delete connection" })).toBeVisible();
});
