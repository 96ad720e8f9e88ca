import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { base32Decode, timeStep, totpCode } from "../lib/mfa/totp";
import { openDemoDb } from "./support/demo-db";
import { startE2eMailSink } from "./support/mail";
import { DEMO_PASSWORD, signInViaApi } from "./support/sign-in";

/** The code an authenticator app would show, `offset` steps from now. */
function codeFor(secret: string, offset = 0): string {
  return totpCode(base32Decode(secret), timeStep(Date.now()) + offset);
}

async function signInWithForm(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("MFA is required for every member who holds an admin-class permission: an admin's first sign-in is forced into TOTP enrollment, then reaches the dashboard; a replayed TOTP code is refused", async ({ page }) => {
  await page.goto("/orgs/acme/orders");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signInWithForm(page, "admin@acme.test", DEMO_PASSWORD);

  // Before anything else: enrollment. The dashboard is out of reach until it is done.
  await expect(page).toHaveURL(/\/account\/security\/enroll\?callbackUrl=%2Forgs%2Facme%2Forders/);
  await expect(page.getByRole("status").filter({ hasText: "Your role needs two-step verification" })).toBeVisible();
  await page.goto("/orgs/acme/orders");
  await expect(page).toHaveURL(/\/account\/security\/enroll/);

  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  await page.getByLabel("Authentication code").fill("000000" === codeFor(secret) ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByText("That code is not right")).toBeVisible();

  const enrolledWith = codeFor(secret);
  await page.getByLabel("Authentication code").fill(enrolledWith);
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  // Ten recovery codes are shown once, and stay on screen until the person goes on.
  await expect(page.getByRole("status").filter({ hasText: "Two-step verification is on." })).toBeVisible();
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/orders$/);
  await expect(page.getByTestId("viewer-email")).toHaveText("admin@acme.test");

  // Next sign-in: the second factor is asked for, and the code already spent is refused.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/orgs/acme/orders");
  await signInWithForm(page, "admin@acme.test", DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/sign-in\/verify/);
  await page.getByLabel("Authentication code").fill(enrolledWith);
  await page.getByRole("button", { name: "Verify" }).click();
  // (Next's route announcer is an alert too, so the message is picked by its text.)
  await expect(page.getByRole("alert").filter({ hasText: /already used|not right/ })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\/verify/);

  // The next step's code (drift of one step is accepted) finishes the sign-in.
  await page.getByLabel("Authentication code").fill(codeFor(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/orgs\/acme\/orders$/);
  await expect(page.getByTestId("viewer-email")).toHaveText("admin@acme.test");
});

test("a pending sign-in reaches nothing but its second step, and the API session says so", async ({ context, page }) => {
  const session = await signInViaApi(context, "manager@acme.test", DEMO_PASSWORD, { finishMfa: false });
  expect(session.pending).toBe("enrollment");
  await page.goto("/orgs/acme/users");
  await expect(page).toHaveURL(/\/account\/security\/enroll\?callbackUrl=%2Forgs%2Facme%2Fusers/);
  // Confirming the app is a cookie-authenticated POST: another site's page cannot make it.
  const forged = await context.request.post("/account/security/enroll/confirm", { headers: { origin: "https://evil.example" }, data: { code: "123456" } });
  expect(forged.status()).toBe(403);
});

test("Resetting a password ends every session: a buyer resets through the mailed link, their other session is gone, and the link works once", async ({ browser, page }) => {
  const email = "buyer.leeds@acme.test";
  const newPassword = "leeds warehouse ledger 2026";
  const mail = await startE2eMailSink();
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    await signInViaApi(other, email);
    expect((await (await other.request.get("/api/auth/session")).json())?.user?.email).toBe(email);

    await page.goto("/sign-in");
    await expect(page.getByRole("link", { name: "Forgot your password?" })).toHaveAttribute("href", "/forgot-password");
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByText(/If an account exists for that email/)).toBeVisible();

    const message = await mail.waitForMail((m) => m.to.includes(email));
    const link = message.links.find((l) => l.includes("/reset-password?token="))!;
    expect(link).toBeTruthy();
    await page.goto(link);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Confirm new password").fill(newPassword);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page).toHaveURL(/\/sign-in\?notice=password-reset/);

    // The session in the other browser ended with the reset.
    expect(await (await other.request.get("/api/auth/session")).json()).toBeNull();

    // The link is spent.
    await page.goto(link);
    await expect(page.getByRole("heading", { name: "Reset link not valid" })).toBeVisible();

    // The old password no longer works; the new one does.
    await page.goto("/orgs/acme/orders");
    await signInWithForm(page, email, DEMO_PASSWORD);
    await expect(page.getByRole("alert").filter({ hasText: "Incorrect" })).toBeVisible();
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/orgs\/acme\/orders$/);
    await expect(page.getByTestId("viewer-email")).toHaveText(email);
  } finally {
    await other.close();
    await mail.close();
  }
});

// The org that does not own the account (it neither sees nor clears the block) is
// tests/integration/account-owner.test.ts; the demo's Acme owns acme.test through SSO's verified domain.
test("Block after 100 consecutive failures: the block is the person's, so only the organization that owns the account (Acme, by its verified domain) sees and may clear it; the operator clears it with the CLI", async ({ context, page }) => {
  const sql = openDemoDb();
  try {
    const [member] = await sql<{ id: string; user_id: string }[]>`select m.id, m.user_id from memberships m join users u on u.id = m.user_id where u.email = 'buyer.berlin@acme.test'`;
    await sql`insert into auth_throttle (key, failures, last_failure_at) values (${`mfa:${member!.user_id}`}, 100, now()) on conflict (key) do update set failures = 100`;
    // The administrator has just passed their second factor, so a step-up would be satisfied.
    await signInViaApi(context, "admin@acme.test");
    await page.goto(`/orgs/acme/users/${member!.id}`);
    const panel = page.getByRole("region", { name: "Sign-in and security" });
    await expect(panel).toContainText("Blocked after 100 wrong codes in a row");
    await expect(page.getByTestId("member-second-factor")).toBeVisible();
    await expect(page.getByRole("button", { name: "Clear second-factor block" })).toBeVisible();

    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", "user", "unblock-mfa", "--email", "buyer.berlin@acme.test"], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "" }, encoding: "utf8" });
    expect(out).toContain("Cleared 100 failed second-factor attempts for buyer.berlin@acme.test");
    expect(await sql`select 1 from auth_throttle where key = ${`mfa:${member!.user_id}`}`).toHaveLength(0);
  } finally {
    await sql.end();
  }
});

test("Redirect targets after sign-in are same-origin paths, resolved against `APP_URL`: a signed-in user's /sign-in?callbackUrl=/%0a/evil.com neither leaves the site nor answers 500", async ({ context, page, baseURL }) => {
  await signInViaApi(context, "buyer@acme.test");
  const origin = new URL(baseURL!).origin;
  for (const target of ["/%0a/evil.com", "/%09/evil.com", "/%0d%0a/evil.com", "/%09/%09/evil.com", "//evil.com", "/%5Cevil.com", "/.//evil.com", "https:evil.com", "javascript:alert(1)"]) {
    const response = await context.request.get(`/sign-in?callbackUrl=${target}`, { maxRedirects: 0 });
    expect(response.status(), target).toBeGreaterThanOrEqual(300);
    expect(response.status(), target).toBeLessThan(400);
    const location = response.headers()["location"]!;
    expect(location, target).toMatch(/^\/(?![/\\])/);
    expect(new URL(location, origin).origin, target).toBe(origin);
  }
  await page.goto("/sign-in?callbackUrl=/%0a/evil.com");
  expect(new URL(page.url()).origin).toBe(origin);
  await expect(page.getByTestId("viewer-email")).toHaveText("buyer@acme.test");
});

test("MFA due for an admin-class permission applies from the next request, not only at the next sign-in: a buyer granted Manager while signed in must set up two-step verification on their next page", async ({ context, page }) => {
  const sql = openDemoDb();
  const email = "buyer.berlin@acme.test";
  const [member] = await sql<{ id: string; user_id: string; org_id: string }[]>`select m.id, m.user_id, m.org_id from memberships m join users u on u.id = m.user_id where u.email = ${email}`;
  try {
    const session = await signInViaApi(context, email);
    expect(session.pending).toBeNull();
    await page.goto("/orgs/acme/orders");
    await expect(page.getByTestId("viewer-email")).toHaveText(email);

    // An administrator grants Manager (users:manage) at the org root while this session is open.
    await sql`insert into grants (org_id, membership_id, role_id) select ${member!.org_id}, ${member!.id}, r.id from roles r where r.org_id = ${member!.org_id} and r.name = 'Manager'`;
    await page.goto("/orgs/acme/users");
    await expect(page).toHaveURL(/\/account\/security\/enroll\?callbackUrl=%2Forgs%2Facme%2Fusers$/);
    await expect(page.getByRole("status").filter({ hasText: "Your role needs two-step verification" })).toBeVisible();
    expect((await (await context.request.get("/api/auth/session")).json())?.pending).toBe("enrollment");
    await page.goto("/orgs/acme/orders");
    await expect(page).toHaveURL(/\/account\/security\/enroll/);

    const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    await page.getByLabel("Authentication code").fill(codeFor(secret));
    await page.getByRole("button", { name: "Turn on two-step verification" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Two-step verification is on." })).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();
    // Back where the last detour started, and the people page is open to them now.
    await expect(page).toHaveURL(/\/orgs\/acme\/orders$/);
    await page.goto("/orgs/acme/users");
    await expect(page).toHaveURL(/\/orgs\/acme\/users$/);
    await expect(page.getByTestId("viewer-email")).toHaveText(email);
  } finally {
    // Put the demo persona back as it was for the other specs.
    await sql`delete from grants where membership_id = ${member!.id} and role_id in (select id from roles where org_id = ${member!.org_id} and name = 'Manager')`;
    await sql`delete from totp_factors where user_id = ${member!.user_id}`;
    await sql`delete from recovery_codes where user_id = ${member!.user_id}`;
    await sql.end();
  }
});
