import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { signInViaApi } from "./support/sign-in";

/**
 * Every page each demo persona can reach, checked by axe (no serious or critical violation) at
 * 1280 px and for horizontal overflow at 390 px. One browser context per persona, pages in
 * sequence, so the suite grows by a few page loads per page rather than a sign-in each.
 * The pages are found as a newcomer finds them: the sections in the main navigation, then the
 * first detail page behind each list.
 */
const personas = [
  { email: "admin@acme.test", org: "acme" },
  { email: "manager@acme.test", org: "acme" },
  { email: "buyer@acme.test", org: "acme" },
  { email: "auditor@acme.test", org: "acme" },
  { email: "ops@northwind.test", org: "northwind" },
];

/**
 * Pages under a list: the first link on the list page matching each pattern (a detail page, and
 * the "new" and import forms where the persona is offered them).
 */
const details: Record<string, RegExp[]> = {
  "/orders": [/^\/orgs\/[^/]+\/orders\/[0-9a-f-]{36}$/, /^\/orgs\/[^/]+\/orders\/new$/],
  "/users": [/^\/orgs\/[^/]+\/users\/[0-9a-f-]{36}$/, /^\/orgs\/[^/]+\/users\/new$/],
  "/roles": [/^\/orgs\/[^/]+\/roles\/[0-9a-f-]{36}$/, /^\/orgs\/[^/]+\/roles\/new$/],
  "/audit": [/^\/orgs\/[^/]+\/audit\/\d+$/],
  "/accounts": [/^\/orgs\/[^/]+\/accounts\/[0-9a-f-]{36}$/],
  "/account-orders": [/^\/orgs\/[^/]+\/account-orders\/[0-9a-f-]{36}$/],
  "/catalog": [/^\/orgs\/[^/]+\/catalog\/[0-9a-f-]{36}$/, /^\/orgs\/[^/]+\/catalog\/new$/, /^\/orgs\/[^/]+\/catalog\/import$/],
};

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

async function linkPaths(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** The pages this persona can reach: the nav's sections, a detail page behind each list, Security. */
async function reachablePages(page: Page, org: string): Promise<string[]> {
  await page.goto(`/orgs/${org}`);
  const sections = await linkPaths(page, 'nav[aria-label="Main"] ul.hidden a');
  expect(sections.length).toBeGreaterThan(1);
  const pages = [...sections];
  for (const section of sections) {
    const suffix = section.slice(`/orgs/${org}`.length);
    const patterns = details[suffix];
    if (!patterns) continue;
    await page.goto(section);
    const links = await linkPaths(page, "main a[href]");
    for (const pattern of patterns) {
      const first = links.find((p) => pattern.test(p));
      if (first) pages.push(first);
    }
  }
  pages.push(`/account/security?org=${org}`);
  return pages;
}

async function seriousViolations(page: Page) {
  // Violations only: axe skips gathering the passing and incomplete results, a large share of its time.
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/** Wider than the screen: the page's width, and the elements that stick out (to say where). */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    const culprits: string[] = [];
    if (scrollWidth > width) {
      for (const el of Array.from(document.body.querySelectorAll("*"))) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && culprits.length < 5) culprits.push(`${el.tagName.toLowerCase()}.${(el.getAttribute("class") ?? "").split(" ").slice(0, 4).join(".")} right=${Math.round(r.right)}`);
      }
    }
    return { width, scrollWidth, culprits };
  });
}

async function checkPages(page: Page, pages: string[]) {
  await page.setViewportSize(DESKTOP);
  for (const path of pages) {
    await page.goto(path);
    expect.soft(await seriousViolations(page), `axe on ${path}`).toEqual([]);
  }
  await page.setViewportSize(PHONE);
  for (const path of pages) {
    await page.goto(path);
    const o = await overflow(page);
    expect.soft(o.scrollWidth, `${path} at 390 px is ${o.scrollWidth} px wide: ${o.culprits.join("; ")}`).toBeLessThanOrEqual(o.width);
  }
}

test.describe("every page passes axe and fits a 390 px screen", () => {
  for (const persona of personas) {
    test(`${persona.email}: no serious or critical axe violation, no horizontal overflow at 390 px`, async ({ page, context }) => {
      test.setTimeout(300_000);
      await signInViaApi(context, persona.email);
      const pages = await reachablePages(page, persona.org);
      await checkPages(page, pages);
    });
  }

  test("the signed-out pages: no serious or critical axe violation, no horizontal overflow at 390 px", async ({ page }) => {
    test.setTimeout(120_000);
    await checkPages(page, ["/sign-in", "/forgot-password", "/reset-password", "/invitation"]);
  });
});

test("at 390 px every section and Sign out are in the menu, and a buyer sees no Users, Roles or Audit", async ({ page, context }) => {
  await signInViaApi(context, "buyer@acme.test");
  await page.setViewportSize(PHONE);
  await page.goto("/orgs/acme/orders");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await nav.getByText("Menu").click();
  for (const name of ["Overview", "Orders", "Branches", "Access"]) await expect(nav.getByRole("link", { name, exact: true })).toBeVisible();
  for (const name of ["Users", "Roles", "Audit", "Settings"]) await expect(nav.getByRole("link", { name, exact: true })).toHaveCount(0);
  await expect(nav.getByRole("button", { name: "Sign out" })).toBeVisible();
  await nav.getByRole("link", { name: "Security" }).click();
  await expect(page.getByRole("heading", { name: "Security" })).toBeVisible();
  // The Security page keeps the main navigation of the org the person came from.
  await page.setViewportSize(DESKTOP);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" })).toBeVisible();
});
