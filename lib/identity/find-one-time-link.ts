import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { memberships, organizations, users } from "@/db/schema";
import { findLiveToken } from "./one-time-tokens";

export interface InvitationPreview {
  orgName: string;
  /** The person the link is for: someone with an account accepts only signed in as them. */
  userId: string;
  email: string;
  name: string;
  /** Someone who already has an account keeps their password and accepts signed in. */
  hasPassword: boolean;
}

// A link arrives before anyone is signed in and names its own org: looking it up spans orgs,
// like resolving an API token. Nothing is consumed here; only the commands use a link up.
const anyOrg = { orgId: null, userId: null, bypass: true } as const;

/** Who a live invitation link is for, without using it; null when it is unknown, used or expired. */
export async function findInvitation(token: string, db: Db = getDb()): Promise<InvitationPreview | null> {
  if (!token || token.length > 200) return null;
  return withTenantScope(
    anyOrg,
    async (tx) => {
      const live = await findLiveToken(tx, token, "invitation");
      if (!live?.membershipId) return null;
      const [row] = await tx
        .select({ orgName: organizations.name, userId: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, status: memberships.status })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .innerJoin(organizations, eq(organizations.id, memberships.orgId))
        .where(eq(memberships.id, live.membershipId));
      if (!row || row.status !== "invited") return null;
      return { orgName: row.orgName, userId: row.userId, email: row.email, name: row.name, hasPassword: row.passwordHash !== null };
    },
    db,
  );
}

/** Whether a reset link is live (so the page can say so before anyone types a password). */
export async function isResetLinkLive(token: string, db: Db = getDb()): Promise<boolean> {
  if (!token || token.length > 200) return false;
  return withTenantScope(anyOrg, async (tx) => (await findLiveToken(tx, token, "password_reset")) !== null, db);
}

/** The address a live email-change link would make the sign-in email; null when unknown, used or expired. */
export async function findEmailChange(token: string, db: Db = getDb()): Promise<{ newEmail: string } | null> {
  if (!token || token.length > 200) return null;
  return withTenantScope(
    anyOrg,
    async (tx) => {
      const live = await findLiveToken(tx, token, "email_change");
      return live?.newEmail ? { newEmail: live.newEmail } : null;
    },
    db,
  );
}
