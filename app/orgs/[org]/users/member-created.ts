import type { PendingMail } from "@/lib/identity/request-password-reset";

/** What the add-member action answers: built from the command's result alone, never from who the address belongs to. */
export type MemberCreated = { membershipId: string; invitation: "sent" | "not-sent" | null };

export function answerMemberCreated(created: { membershipId: string; invitation: PendingMail | null }, delivered: boolean): MemberCreated {
  return { membershipId: created.membershipId, invitation: created.invitation ? (delivered ? "sent" : "not-sent") : null };
}

// Shown on the member's page after the add-member form saved (and after an SSO identity was
// unlinked, whose row leaves the page). The same words whether or not the
// address already had an account: the form must not tell an org who has one elsewhere.
export const CREATED_NOTICES = {
  created: "Member added.",
  invited: "Member added. They were emailed an invitation, and join once they accept it.",
  "invitation-not-sent": "Member added, but the invitation mail could not be sent. Use “Resend invitation” below once mail works.",
  "identity-unlinked": "Unlinked: that identity no longer signs them in, and the roles its rules gave them were removed. It is in the audit trail.",
} as const;

export function createdNoticeKey(created: MemberCreated): keyof typeof CREATED_NOTICES {
  return created.invitation === "sent" ? "invited" : created.invitation === "not-sent" ? "invitation-not-sent" : "created";
}
