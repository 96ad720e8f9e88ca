import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { safeRedirectPath } from "@/lib/core/action-result";
import { readRequestMeta, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";
import { auth } from "@/lib/identity/auth";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";

/** The signed-in person, checked against the sessions table once per request. */
export const loadViewer = cache(async () => {
  const session = await auth();
  if (!session?.user?.id || !session.sessionId) return null;
  return { userId: session.user.id, email: session.user.email, name: session.user.name, sessionId: session.sessionId };
});

/** The signed-in person, or a redirect to sign-in that comes back to the page asked for. */
export async function requireViewer() {
  const viewer = await loadViewer();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(await currentPath())}`);
  return viewer;
}

async function currentPath(): Promise<string> {
  const url = new URL((await headers()).get(REQUEST_PATH_HEADER) ?? "/", "http://local");
  url.searchParams.delete("_rsc"); // Next's client-navigation marker, not part of the page
  return safeRedirectPath(url.pathname + url.search);
}

/**
 * The viewer as a member of the org in the URL, with access loaded fresh for this request.
 * Not a member (or no such org) answers 404, so a stranger learns nothing about the org.
 */
export const requirePrincipal = cache(async (orgSlug: string): Promise<Principal> => {
  const viewer = await requireViewer();
  const principal = await loadMemberPrincipal(getDb(), { type: "user", userId: viewer.userId, label: viewer.email }, orgSlug, viewer.sessionId);
  if (!principal) notFound();
  return principal;
});

export async function loadRequestMeta() {
  return readRequestMeta(await headers());
}
