import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { noAccess } from "@/lib/access/access";
import { runCommand } from "@/lib/core/command";
import { AppError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { resolveSession } from "./resolve-session";
import { signInCommand } from "./sign-in";
import { signOutCommand } from "./sign-out";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
    /** The sessions-table row id (not the cookie secret). */
    sessionId: string;
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
  }
}

const SESSION_MAX_AGE_SECONDS = Number(process.env.SESSION_MAX_AGE_SECONDS ?? 12 * 60 * 60);

/**
 * next-auth drives the sign-in and sign-out flows (CSRF, cookies, redirects), but the cookie is
 * not a JWT: `encode` writes the opaque session id and `decode` looks it up in the sessions table
 * on every request, so sign-out and deactivation take effect at once
 * (docs/adr/0002-database-sessions.md). The config is built per request so that per-org SSO
 * providers can be added from the database later.
 */
function buildConfig(): NextAuthConfig {
  return {
    trustHost: true,
    // A wrong password and a revoked cookie are expected outcomes (and audited); keep them out of
    // the error log so real errors stand out.
    logger: {
      error(error) {
        const cause = (error.cause as { err?: Error } | undefined)?.err;
        // "Invalid JWT" is our decode refusing a revoked or expired session id: not a fault.
        if (error.name === "CredentialsSignin" || (error.name === "JWTSessionError" && cause?.message === "Invalid JWT")) return;
        console.error(`[auth] ${error.name}: ${cause?.message ?? error.message}`);
      },
      warn(code) {
        console.warn(`[auth] warning: ${code}`);
      },
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          try {
            const principal = { actor: { type: "anonymous" as const, label: "anonymous" }, org: null, membershipId: null, access: noAccess };
            const result = await runCommand(signInCommand, principal, readRequestMeta(request.headers), { email: credentials?.email, password: credentials?.password });
            return { id: result.userId, email: result.email, name: result.name, sessionToken: result.sessionToken };
          } catch (error) {
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
        return { sub: session.userId, email: session.email, name: session.name, sid: token, sessionId: session.sessionId };
      },
    },
    callbacks: {
      // Redirect with same-site paths only: the browser resolves them against the host it used,
      // and an absolute URL given as callbackUrl can never send someone to another site.
      redirect({ url, baseUrl }) {
        const target = new URL(url, baseUrl);
        if (target.origin !== new URL(baseUrl).origin) return "/";
        return `${target.pathname}${target.search}${target.hash}`;
      },
      jwt({ token, user }) {
        if (user?.sessionToken) token.sid = user.sessionToken;
        return token;
      },
      session({ session, token }) {
        return {
          ...session,
          sessionId: token.sessionId ?? "",
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
