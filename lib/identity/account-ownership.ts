import type { Executor } from "@/db/client";

/**
 * Whether an organization owns a person's account: only then may its administrators reach what
 * belongs to the person rather than to one membership (their sessions in every org, their
 * password, their second-factor block, their global session count).
 *
 * Always false for now. Ownership will come with SSO's verified email domains (issue 11): an org
 * that has proved it controls the domain of the person's address owns the account. Until then no
 * org does, and those actions stay with the person themselves and the operator.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the signature issue 11 fills in
export async function orgOwnsAccount(db: Executor, orgId: string, userId: string): Promise<boolean> {
  return false;
}
