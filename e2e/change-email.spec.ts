import { expect, test } from "@playwright/test";
import { startE2eMailSink } from "./support/mail";
import { DEMO_PASSWORD, signInViaApi } from "./support/sign-in";

test("Changing email or MFA settings needs a fresh login: a buyer changes their sign-in email through the link mailed to the new address, and the old address is told", async ({ browser, context, page }) => {
  const oldEmail = "buyer.toronto@acme.test";
  const newEmail = "toronto.purchasing@acme.test";
  const mail = await startE2eMailSink();
  try {
    await signInViaApi(context, oldEmail);
    await page.goto("/account/security");
    await expect(page.getByTestId("current-email")).toHaveText(oldEmail);
    // The field is checked in the browser before anything is sent.
    await page.getByLabel("New email").fill("not an address");
    await page.getByRole("button", { name: "Send confirmation link" }).click();
    await expect(page.getByText("must be a valid email address")).toBeVisible();

    await page.getByLabel("New email").fill(newEmail);
    await page.getByRole("button", { name: "Send confirmation link" }).click();
    await expect(page.getByRole("status").filter({ hasText: `We sent a link to ${newEmail}` })).toBeVisible();
    await expect(page.getByTestId("current-email")).toHaveText(oldEmail);

    const confirmation = await mail.waitForMail((m) => m.to.includes(newEmail));
    const link = confirmation.links.find((l) => l.includes("/account/email/confirm?token="))!;
    expect(link).toBeTruthy();
    // Opened in another browser, signed out: the link alone is the proof of the new mailbox.
    const elsewhere = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      const other = await elsewhere.newPage();
      await other.goto(link);
      await expect(other.getByRole("heading", { name: "Confirm your new email" })).toBeVisible();
      await other.getByRole("button", { name: `Use ${newEmail} to sign in` }).click();
      await expect(other.getByRole("status").filter({ hasText: `you now sign in as ${newEmail}` })).toBeVisible();
      await other.goto(link);
      await expect(other.getByRole("heading", { name: "Link not valid" })).toBeVisible();
    } finally {
      await elsewhere.close();
    }

    const notice = await mail.waitForMail((m) => m.to.includes(oldEmail));
    expect(notice.subject).toBe("Your Countersign email was changed");
    expect(notice.text).toContain(newEmail);

    // The session stays; the page now shows the new address, and sign-in takes it (not the old one).
    await page.reload();
    await expect(page.getByTestId("current-email")).toHaveText(newEmail);
    const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    try {
      await expect(signInViaApi(fresh, oldEmail, DEMO_PASSWORD)).rejects.toThrow();
      await signInViaApi(fresh, newEmail, DEMO_PASSWORD);
      expect((await (await fresh.request.get("/api/auth/session")).json())?.user?.email).toBe(newEmail);
    } finally {
      await fresh.close();
    }
  } finally {
    await mail.close();
  }
});
