import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { signInViaApi } from "./support/sign-in";

// The CLI finds the e2e server's embedded database through the data dir, as an operator would.
function cli(...args: string[]) {
  return execFileSync(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { env: { ...process.env, DATA_DIR: ".test-data/e2e", DATABASE_URL: "" }, encoding: "utf8" });
}

test("a member of two organizations switches between them and sees each one's own orders", async ({ page, context }) => {
  cli("org", "create", "--name", "Beta Supply", "--slug", "beta");
  cli("branch", "create", "--org", "beta", "--name", "Lyon");
  cli("user", "create", "--org", "beta", "--email", "admin@acme.test", "--password", "unused-for-existing-user", "--role", "Admin");

  await signInViaApi(context, "admin@acme.test");
  await page.goto("/orgs/acme");
  await expect(page.getByTestId("visible-order-count")).not.toHaveText("0");

  await page.getByLabel("Organization").selectOption({ label: "Beta Supply" });
  await expect(page).toHaveURL(/\/orgs\/beta$/);
  await expect(page.getByText("No orders you can see yet")).toBeVisible();

  // Another org's slug that the viewer does not belong to is simply not found.
  const stranger = await page.goto("/orgs/not-a-member-org");
  expect(stranger?.status()).toBe(404);
});
