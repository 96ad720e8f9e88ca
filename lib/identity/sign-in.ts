import { and, eq, sql } from "drizzle-orm";
import { memberships, sessions, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { UnauthorizedError } from "@/lib/core/errors";
import { verifyPassword } from "./passwords";
import { signInSchema } from "./schemas";
import { generateSecret, hashSecret } from "./secrets";

const SESSION_MAX_AGE_SECONDS = Number(process.env.SESSION_MAX_AGE_SECONDS ?? 12 * 60 * 60);

// One message for every failure, so the response never tells which part was wrong.
const GENERIC_FAILURE = "Incorrect email or password.";

/** Checks a password and opens a database session; the caller puts the token in a cookie. */
export const signInCommand = defineCommand({
  name: "auth.signin.succeeded",
  description: "Someone signed in with email and password and a session was opened. A wrong password, an unknown email, a disabled user or one without an active membership records the denied action instead, with the reason in its metadata. Both are filed under no organization (the global chain).",
  deniedAction: "auth.signin.failed",
  access: "public",
  input: signInSchema,
  async run({ tx, meta }, input) {
    const [user] = await tx.select().from(users).where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
    const passwordOk = await verifyPassword(user?.passwordHash, input.password);
    if (!user || !passwordOk) throw new UnauthorizedError(GENERIC_FAILURE, { email: input.email, reason: user ? "bad-password" : "unknown-user" });
    if (user.disabledAt) throw new UnauthorizedError(GENERIC_FAILURE, { email: input.email, reason: "user-disabled" });
    const [active] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, user.id), eq(memberships.status, "active")))
      .limit(1);
    if (!active) throw new UnauthorizedError(GENERIC_FAILURE, { email: input.email, reason: "no-active-membership" });

    const token = generateSecret();
    const [session] = await tx
      .insert(sessions)
      .values({
        tokenHash: hashSecret(token),
        userId: user.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        expiresAt: sql`now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS})`,
      })
      .returning({ id: sessions.id });
    return {
      result: { userId: user.id, email: user.email, name: user.name, sessionToken: token },
      actor: { type: "user", userId: user.id, label: user.email },
      target: { type: "session", id: session!.id },
      metadata: { method: "password" },
    };
  },
});
