import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { startSamlTestIdp, type SamlTestIdp } from "../tests/support/saml-test-idp";

// The CLI finds the e2e server's embedded database through the data dir, as an operator would.
// The test IdP is plain http on loopback: only the CLI that imports its metadata needs the
// setting meant for tests; the server never fetches from the IdP. Asynchronous, so the IdP in
// this process can answer the CLI's metadata fetch.
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "", SMTP_URL: "", SSO_ALLOW_INSECURE_HTTP: "1" }, encoding: "utf8" });
  return stdout;
}

test.describe.configure({ mode: "serial" });

let idp: SamlTestIdp;
test.beforeAll(async () => {
  idp = await startSamlTestIdp();
  await cli("org", "create", "--name", "Saml Works", "--slug", "samlworks");
  const connection = JSON.parse(await cli("sso", "connection", "create", "--org", "samlworks", "--protocol", "saml", "--metadata", idp.metadataUrl, "--json")) as { id: string; acsUrl: string; entityId: string };
  await cli("sso", "domain", "add", "--org", "samlworks", "--connection", connection.id, "--domain", "samlworks.test", "--verified-by-operator");
  await cli("sso", "mapping", "add", "--org", "samlworks", "--connection", connection.id, "--claim", "groups", "--value", "buyers", "--role", "Buyer");
});
test.afterAll(() => idp.close());

test("SAML sign-in: email first, the IdP's login page, then the org dashboard (a JIT member with the mapped role)", async ({ page }) => {
  idp.nextLogin = { nameId: "pat@samlworks.test", attributes: { email: "pat@samlworks.test", name: "Pat Saml", groups: ["buyers"] } };
  await page.goto("/sign-in");
  await page.getByLabel("Or sign in with your organization's single sign-on").fill("pat@samlworks.test");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await expect(page.getByRole("heading", { name: "Test IdP sign-in" })).toBeVisible();
  await page.getByLabel("Email").fill("pat@samlworks.test");
  await page.getByRole("button", { name: "Sign in at the test IdP" }).click();
  await page.getByRole("button", { name: "Continue to Countersign" }).click();
  await expect(page).toHaveURL(/\/orgs\/samlworks$/);
  await expect(page.getByRole("heading", { name: "Saml Works" })).toBeVisible();
  // Signed in as the IdP's person, a Buyer with nothing yet (the mapped role, no admin links).
  await expect(page.getByRole("banner")).toContainText("pat@samlworks.test");
  await expect(page.getByText(/^No orders you can see in the last \d+ weeks$/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
});
