import type { Access } from "@/lib/access/access";

/** Who is acting. `label` is the email or name as it was at the time, kept in audit events. */
export type Actor =
  | { type: "user"; userId: string; label: string }
  | { type: "api-token"; userId: string; tokenId: string; label: string }
  // An IdP provisioning through a SCIM token of one org (lib/scim); `label` names the token.
  | { type: "scim"; tokenId: string; label: string }
  | { type: "system"; label: string }
  // An intake channel (issue 14): orders it creates are recorded with the channel as their actor.
  | { type: "channel"; channelId: string; label: string }
  | { type: "anonymous"; label: string };

export interface OrgRef {
  id: string;
  slug: string;
  name: string;
}

/** An actor together with the organization they act in and what they may do there. */
export interface Principal {
  actor: Actor;
  org: OrgRef | null;
  membershipId: string | null;
  access: Access;
  /** Set for a signed-in person: the session this request arrived with. */
  sessionId?: string;
  /** When that session last proved who is there; step-up checks read it (lib/core/step-up.ts). */
  sessionAuth?: SessionAuth;
  /** The session has not finished signing in: a second factor, or MFA enrollment, is due. */
  pendingSignIn?: "mfa" | "enrollment";
  /**
   * MFA is due for this person in this org: they hold an admin-class permission here, or the org
   * requires it of everyone (set where the principal is loaded, from the same rows).
   */
  mfaDue?: boolean;
}

export interface SessionAuth {
  /** The full sign-in, or the latest step-up (password or MFA). */
  reauthenticatedAt: Date;
  /** The latest successful MFA check, if any. */
  mfaVerifiedAt: Date | null;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export function actorUserId(actor: Actor): string | null {
  return actor.type === "user" || actor.type === "api-token" ? actor.userId : null;
}
