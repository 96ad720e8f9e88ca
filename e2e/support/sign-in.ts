import type { BrowserContext } from "@playwright/test";

export const DEMO_PASSWORD = "acme-demo-2026";

/** Signs in through next-auth's endpoints (CSRF, then POST), faster than the form. */
export async function signInViaApi(context: BrowserContext, email: string, password = DEMO_PASSWORD) {
  const csrf = await context.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await context.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password }, maxRedirects: 0 });
  if (response.status() !== 302) throw new Error(`sign-in failed with ${response.status()}`);
  const session = await (await context.request.get("/api/auth/session")).json();
  if (!session?.user) throw new Error(`sign-in did not create a session for ${email}`);
}
