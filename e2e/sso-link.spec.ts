import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { base32Decode, timeStep, totpCode } from "../lib/mfa/totp";
import { startTestIdp, TEST_IDP_PASSWORD, type TestIdp } from "../tests/support/oidc-test-idp";

/*
 * Account linking from the Security page: a password user (with a second factor) links an OIDC
 * identity, re-authenticating with their password (and the step-up's second factor when it is not
 * recent), signs in at the IdP's own login form, and the link is confirmed by their own session.
 * Then they sign in through SSO, from /sso/<org>, and land on the same account.
 */

const appUrl = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3210)}`;
const email = "linker@acme.test";
const password = "linking ledger passphrase 2026";

function cli(...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "", SMTP_URL: "", SSO_ALLOW_INSECURE_HTTP: "1" }, encoding: "utf8" });
}

/** A code for a time step not used yet (a spent code is refused), waiting for the next step if needed. */
async function freshCode(secret: string, spent: Set<number>): Promise<string> {
  while (spent.has(timeStep(Date.now()))) await new Promise((resolve) => setTimeout(resolve, 1000));
  const step = timeStep(Date.now());
  spent.add(step);
  return totpCode(base32Decode(secret), step);
}

async function signInAtIdp(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in to the test IdP" })).toBeVisible({ timeout: 30_000 });
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(TEST_IDP_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

let idp: TestIdp;
test.beforeAll(async () => {
  idp = await startTestIdp({ redirectUri: `${appUrl}/sso/oidc/callback`, clientId: "link-e2e", clientSecret: "link-e2e-secret-0123456789" });
});
test.afterAll(async () => {
  await idp?.close();
});

test("A password user links an OIDC identity from the Security page (password + second factor, then the IdP's login form), then signs in through SSO to the same account", async ({ page }) => {
  test.setTimeout(180_000);
  cli("user", "create", "--org", "acme", "--email", email, "--password", password, "--role", "Buyer", "--branch", "Chicago");
  const { id } = JSON.parse(cli("sso", "connection", "create", "--org", "acme", "--protocol", "oidc", "--preset", "generic", "--name", "Link IdP (e2e)", "--issuer", idp.issuer, "--client-id", idp.clientId, "--client-secret", idp.clientSecret, "--mfa", "local", "--json")) as { id: string };
  // A signed-in member still needs a rule that grants them something (the app refuses otherwise).
  cli("sso", "mapping", "add", "--org", "acme", "--connection", id, "--claim", "groups", "--value", "link-e2e-buyers", "--role", "Buyer", "--json");
  const spent = new Set<number>();

  // Password sign-in, then a second factor set up from the Security page.
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await page.goto(`/account/security/enroll?callbackUrl=${encodeURIComponent("/account/security?org=acme")}`);
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await page.getByLabel("Authentication code").fill(await freshCode(secret, spent));
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await page.getByRole("button", { name: "Continue" }).click();

  // Link: the password here, the second factor if the step-up asks, then the IdP.
  await page.goto("/account/security?org=acme");
  const form = page.getByRole("form", { name: "Link to single sign-on" });
  await form.getByLabel("Connection").selectOption({ label: "Link IdP (e2e)" });
  await form.getByLabel("Your password").fill(password);
  await form.getByRole("button", { name: "Continue to the identity provider" }).click();
  const subject = `linked-${Date.now()}`;
  idp.nextLogin = { sub: subject, email: "someone.else@idp.test", name: "Linker at the IdP", groups: ["link-e2e-buyers"], amr: ["pwd"] };
  await page.waitForURL((url) => url.origin === idp.issuer || url.pathname === "/account/verify", { timeout: 30_000 });
  if (new URL(page.url()).origin !== idp.issuer) {
    await page.getByLabel("Authentication code").fill(await freshCode(secret, spent));
    await page.getByRole("button", { name: "Verify" }).click();
    // Back on the Security page after the step-up: the password once more, then the IdP.
    await expect(page).toHaveURL(/\/account\/security\?org=acme/);
    await form.getByLabel("Your password").fill(password);
    await form.getByRole("button", { name: "Continue to the identity provider" }).click();
  }
  await signInAtIdp(page, subject);
  await expect(page).toHaveURL(/\/account\/security\?org=acme&sso-link=linked/, { timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: "Linked: you can now sign in" })).toBeVisible();
  await expect(page.getByText(`as ${subject}`)).toBeVisible();

  // Signed out, back in through SSO (from the org, since the IdP's email is not ours): the same account.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  // The IdP's own session cookie too (cookies ignore ports: it shares 127.0.0.1 with the app), so its login form shows again.
  await page.context().clearCookies();
  await page.goto("/sso/acme");
  const choose = page.getByRole("link", { name: /Link IdP \(e2e\)/ }).or(page.getByRole("button", { name: /Link IdP \(e2e\)/ }));
  if (await choose.first().isVisible({ timeout: 5_000 }).catch(() => false)) await choose.first().click();
  await signInAtIdp(page, subject);
  // Our own second factor (the connection trusts none from the IdP).
  await expect(page).toHaveURL(/\/sign-in\/verify/, { timeout: 30_000 });
  await page.getByLabel("Authentication code").fill(await freshCode(secret, spent));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme/, { timeout: 30_000 });
  await expect(page.getByTestId("viewer-email")).toHaveText(email);

  // And unlinked again from the Security page (the second factor just passed): asked first, then gone.
  await page.goto("/account/security?org=acme");
  await page.getByRole("button", { name: "Unlink Link IdP (e2e)" }).click();
  await page.getByRole("group", { name: "Unlink Link IdP (e2e)" }).getByRole("button", { name: "Unlink" }).click();
  await expect(page).toHaveURL(/sso-link=unlinked/, { timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: "Unlinked: that identity provider no longer signs you in" })).toBeVisible();
  await expect(page.getByText(`as ${subject}`)).toHaveCount(0);
});
