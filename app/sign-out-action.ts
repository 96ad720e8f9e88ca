"use server";

import { signOut } from "@/lib/identity/auth";

/** Ends the current session (next-auth's signOut event runs the audited sign-out command). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/sign-in" });
}
