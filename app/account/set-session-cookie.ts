import { cookies } from "next/headers";
import { currentSessionCookie } from "@/lib/identity/auth";
import { sessionMaxAgeSeconds } from "@/lib/identity/session-policy";

/** Puts a rotated session id in the cookie next-auth reads (same name and attributes). */
export async function setSessionCookie(token: string): Promise<void> {
  const cookie = await currentSessionCookie();
  (await cookies()).set(cookie.name, token, { ...cookie.options, maxAge: sessionMaxAgeSeconds() });
}
