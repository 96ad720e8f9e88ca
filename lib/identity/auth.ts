import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { noAccess } from "@/lib/access/access";
import { safeRedirectPath } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { AppError, RateLimitedError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { resolveSession, type PendingSignIn } from "./resolve-session";
import { PROTO_HEADER, sessionCookieFor } from "./session-cookie";
import { sessionMaxAgeSeconds } from "./session-policy";
import { signInCommand, SSO_REQUIRED } from "./sign-in";
import { signOutCommand } from "./sign-out";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
    /** The sessions-table row id (not the cookie secret). */
    sessionId: string;
    pending: PendingSignIn | null;
    /** ISO times: the last full sign-in or step-up, and the last MFA check. */
    reauthenticatedAt: string;
    mfaVerifiedAt: string | null;
  }
  interface User {
    sessionToken?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** The raw session id from the cookie; never sent to the browser in a session payload. */
    sid?: string;
    sessionId?: string;
    pending?: PendingSignIn | null;
    reauthenticatedAt?: string;
    mfaVerifiedAt?: string | null;
  }
}

/** Too many failures: the form says how long to wait (the code travels in the error). */
class ThrottledSignIn extends CredentialsSignin {
  constructor(message: string) {
    super(message);
    this.code = message;
  }
}

/**
 * next-auth drives the sign-in and sign-out flows (CSRF, cookies, redirects), but the cookie is
 * not a JWT: `encode` writes the opaque session id and `decode` looks it up in the sessions table
 * on every request, so sign-out and deactivation take effect at once
 * (docs/adr/0002-database-sessions.md). The config is built per request so that per-org SSO
 * providers can be added from the database later.
 */
async function buildConfig(): Promise<NextAuthConfig> {
  const requestHeaders = await headers();
  const cookie = sessionCookieFor(requestHeaders.get(PROTO_HEADER), requestHeaders.get("host"));
  return {
    trustHost: true,
    useSecureCookies: cookie.options.secure,
    cookies: { sessionToken: cookie },
    // A wrong password and a revoked cookie are expected outcomes (and audited); keep them out of
    // the error log so real errors stand out.
    logger: {
      error(error) {
        const cause = (error.cause as { err?: Error } | undefined)?.err;
        // Auth.js names its errors by `type`: the production build minifies class names.
        const type = (error as { type?: string }).type ?? error.name;
        // "Invalid JWT" is our decode refusing a revoked or expired session id: not a fault.
        if (error instanceof CredentialsSignin || type === "CredentialsSignin" || (type === "JWTSessionError" && cause?.message === "Invalid JWT")) return;
        console.error(`[auth] ${type}: ${cause?.message ?? error.message}`);
      },
      warn(code) {
        console.warn(`[auth] warning: ${code}`);
      },
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds() },
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          try {
            const principal = { actor: { type: "anonymous" as const, label: "anonymous" }, org: null, membershipId: null, access: noAccess };
            const result = await runCommand(signInCommand, principal, readRequestMeta(request.headers), { email: credentials?.email, password: credentials?.password });
            return { id: result.userId, email: result.email, name: result.name, sessionToken: result.sessionToken };
          } catch (error) {
            if (error instanceof RateLimitedError) throw new ThrottledSignIn(error.message);
            // The right password for an account whose org requires SSO: say where to sign in instead.
            if (error instanceof AppError && error.message === SSO_REQUIRED) throw new ThrottledSignIn(error.message);
            if (error instanceof AppError) return null; // one generic failure for every reason
            throw error;
          }
        },
      }),
    ],
    jwt: {
      encode: async ({ token }) => token?.sid ?? "",
      decode: async ({ token }) => {
        const session = await resolveSession(getDb(), token);
        if (!session || !token) return null;
        return {
          sub: session.userId,
          email: session.email,
          name: session.name,
          sid: token,
          sessionId: session.sessionId,
          pending: session.pending,
          reauthenticatedAt: session.reauthenticatedAt.toISOString(),
          mfaVerifiedAt: session.mfaVerifiedAt?.toISOString() ?? null,
        };
      },
    },
    callbacks: {
      // Redirect with same-site paths only, judged by the same rule as every other redirect
      // (safeRedirectPath: resolved against APP_URL). next-auth hands its own targets over as
      // absolute URLs on the request's origin, so only their path is judged.
      redirect({ url, baseUrl }) {
        return safeRedirectPath(url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length) : url);
      },
      jwt({ token, user }) {
        if (user?.sessionToken) token.sid = user.sessionToken;
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          sessionId: token.sessionId ?? "",
          pending: token.pending ?? null,
          reauthenticatedAt: token.reauthenticatedAt ?? new Date(0).toISOString(),
          mfaVerifiedAt: token.mfaVerifiedAt ?? null,
          user: { id: token.sub ?? "", email: token.email ?? "", name: token.name ?? "" },
        };
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token?.sub || !token.sessionId) return;
        const principal = { actor: { type: "user" as const, userId: token.sub, label: token.email ?? "" }, org: null, membershipId: null, access: noAccess, sessionId: token.sessionId };
        await runCommand(signOutCommand, principal, readRequestMeta(await headers()), {});
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(async () => buildConfig());

/** The session cookie for the current request, for the pages that rotate the session id. */
export async function currentSessionCookie() {
  const requestHeaders = await headers();
  return sessionCookieFor(requestHeaders.get(PROTO_HEADER), requestHeaders.get("host"));
}
