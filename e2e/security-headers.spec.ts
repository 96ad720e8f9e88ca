import { expect, test, type Response } from "@playwright/test";

/** The nonce a response's CSP allows scripts with. */
function nonceOf(csp: string): string {
  const match = /'nonce-([^']+)'/.exec(csp);
  if (!match) throw new Error(`no nonce in ${csp}`);
  return match[1]!;
}

function scriptSources(csp: string): string[] {
  const directive = csp.split(";").map((part) => part.trim()).find((part) => part.startsWith("script-src "));
  return directive?.split(/\s+/).slice(1) ?? [];
}

test.describe("Headers: a Content-Security-Policy with nonces (no unsafe-inline scripts), HSTS when served over HTTPS, frame-ancestors 'none', Referrer-Policy, X-Content-Type-Options", () => {
  test("the sign-in page's real response carries the headers, its scripts carry the nonce, and it hydrates with no violation", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("Content Security Policy")) violations.push(message.text());
    });
    // Runs before any page script, outside the page's CSP, so it sees every blocked script or style.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => {
        const w = window as unknown as { cspViolations?: string[] };
        (w.cspViolations ??= []).push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });

    const response = (await page.goto("/sign-in")) as Response;
    expect(response.status()).toBe(200);
    const headers = response.headers();
    const csp = headers["content-security-policy"]!;
    const nonce = nonceOf(csp);
    expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    expect(scriptSources(csp)).toContain(`'nonce-${nonce}'`);
    expect(scriptSources(csp)).not.toContain("'unsafe-inline'");
    expect(scriptSources(csp)).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    // Plain HTTP: no HSTS, and no upgrade of subresources to a TLS port nobody serves.
    expect(headers["strict-transport-security"]).toBeUndefined();
    expect(csp).not.toContain("upgrade-insecure-requests");

    const scriptNonces = await page.evaluate(() => [...document.scripts].map((s) => s.nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(scriptNonces).toEqual(scriptNonces.map(() => nonce));

    // Hydrated: the client-side validation stops an empty form and names the field.
    const email = page.getByLabel("Email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(email).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/sign-in$/);
    expect(violations).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { cspViolations?: string[] }).cspViolations ?? [])).toEqual([]);

    const again = (await page.goto("/sign-in")) as Response;
    expect(nonceOf(again.headers()["content-security-policy"]!)).not.toBe(nonce);
  });

  test("a page that would otherwise be prerendered (the not-found page) is rendered per request, with the nonce on its scripts", async ({ page }) => {
    const response = (await page.goto("/no-such-page")) as Response;
    expect(response.status()).toBe(404);
    const nonce = nonceOf(response.headers()["content-security-policy"]!);
    const scriptNonces = await page.evaluate(() => [...document.scripts].map((s) => s.nonce));
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(scriptNonces).toEqual(scriptNonces.map(() => nonce));
  });

  test("an API response gets the same headers, and a client's X-Forwarded-Proto does not earn HSTS", async ({ request }) => {
    const response = await request.get("/api/health", { headers: { "x-forwarded-proto": "https", "x-countersign-proto": "https" } });
    expect(response.status()).toBe(200);
    const headers = response.headers();
    expect(headers["strict-transport-security"]).toBeUndefined();
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
  });
});
