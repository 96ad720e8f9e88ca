import type { BrowserContext } from "@playwright/test";
import { openDemoDb } from "./demo-db";

export const DEMO_PASSWORD = "acme-demo-2026";

/**
 * Signs in through next-auth's endpoints (CSRF, then POST), faster than the form. Personas whose
 * role requires MFA get a pending session; unless `finishMfa` is false, the test marks that
 * session as having passed its second factor directly in the e2e database. The MFA steps
 * themselves are driven through the UI by e2e/secure-sign-in.spec.ts.
 */
export async function signInViaApi(context: BrowserContext, email: string, password = DEMO_PASSWORD, { finishMfa = true } = {}) {
  const csrf = await context.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await context.request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password }, maxRedirects: 0 });
  if (response.status() !== 302) throw new Error(`sign-in failed with ${response.status()}`);
  const session = (await (await context.request.get("/api/auth/session")).json()) as { user?: unknown; sessionId?: string; pending?: string | null } | null;
  if (!session?.user || !session.sessionId) throw new Error(`sign-in did not create a session for ${email}`);
  if (session.pending && finishMfa) {
    const sql = openDemoDb();
    try {
      await sql`update sessions set pending = null, mfa_verified_at = now(), reauthenticated_at = now(), expires_at = now() + interval '12 hours' where id = ${session.sessionId}`;
    } finally {
      await sql.end();
    }
  }
  return session;
}
