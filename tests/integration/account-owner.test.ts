import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { authThrottle } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ConflictError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { acceptInvitationCommand } from "@/lib/identity/accept-invitation";
import { orgOwnsAccount } from "@/lib/identity/account-ownership";
import { createMemberCommand } from "@/lib/identity/create-member";
import { loadMemberSecurity } from "@/lib/identity/member-security";
import { MAX_OUTSTANDING_RESETS, requestPasswordResetCommand } from "@/lib/identity/request-password-reset";
import { resolveSession } from "@/lib/identity/resolve-session";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";
import { sendMemberPasswordResetCommand } from "@/lib/identity/send-member-password-reset";
import { BLOCK_AFTER_FAILURES } from "@/lib/identity/throttle-keys";
import { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta } from "../support/factories";
import { accountPrincipalFor, signInAs } from "../support/sign-in-helpers";
import { anonymous, auditRows, tokenOf, tokenRows } from "./one-time-links";

// Ownership comes with SSO's verified domains (issue 11); until then no org owns an account. This
// file injects it, to cover the path an owning org takes once it exists.
vi.mock("@/lib/identity/account-ownership", () => ({ orgOwnsAccount: vi.fn(async () => true) }));

const steppedUp = (principal: Principal): Principal => ({ ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } });

/** A person active in org A who joined org B, which (here) owns their account; B's administrator. */
async function ownedByB() {
  const a = await makeOrg("Org A");
  const b = await makeOrg("Owner Org");
  const person = await makeMember(a.operator, { roleName: "Buyer" });
  const bAdmin = await makeMember(b.operator, { roleName: "Admin" });
  const created = await runCommand(createMemberCommand, b.operator, meta, { email: person.email, roleName: "Buyer" });
  await runCommand(acceptInvitationCommand, accountPrincipalFor((await signInAs(person.email)).session), meta, { token: tokenOf(created.invitation!.message.link) });
  return { a, b, person, bAdmin, membershipId: created.membershipId };
}

describe("A person's global sessions, password and factors are reached only by an org that owns the account (a verified domain): the owner's path", () => {
  it("an owning org ends the person's sessions in every org, sees their global counts, and ownership is asked about that org and person", async () => {
    const { b, person, bAdmin, membershipId } = await ownedByB();
    const cookies = [(await signInAs(person.email)).token, (await signInAs(person.email)).token];
    const security = await readAs(bAdmin.principal, (tx) => loadMemberSecurity(tx, bAdmin.principal, membershipId));
    expect(security?.account).toMatchObject({ openSessions: 3, secondFactorFailures: 0, secondFactorBlocked: false });

    expect(await runCommand(revokeMemberSessionsCommand, bAdmin.principal, meta, { membershipId, scope: "everywhere" })).toEqual({ scope: "everywhere", count: 3 });
    for (const cookie of cookies) expect(await resolveSession(getDb(), cookie)).toBeNull();
    expect(vi.mocked(orgOwnsAccount)).toHaveBeenCalledWith(expect.anything(), b.id, person.userId);
    const [event] = (await auditRows("member.sessions.revoked")).filter((e) => e.target_id === membershipId);
    expect(event).toMatchObject({ org_id: b.id, metadata: { scope: "everywhere", count: 3 } });
  });

  it("an owning org's resets obey the same outstanding-link cap as 'forgot password'", async () => {
    const { person, bAdmin, membershipId } = await ownedByB();
    await runCommand(requestPasswordResetCommand, anonymous, meta, { email: person.email });
    for (let i = 1; i < MAX_OUTSTANDING_RESETS; i++) {
      const sent = await runCommand(sendMemberPasswordResetCommand, bAdmin.principal, meta, { membershipId });
      expect(sent.mail.message.text).toContain("An administrator of your organization started a password reset");
    }
    const capped = await runCommand(sendMemberPasswordResetCommand, bAdmin.principal, meta, { membershipId }).catch((e: unknown) => e);
    expect(capped).toBeInstanceOf(ConflictError);
    expect((capped as Error).message).toMatch(/already has 3 unused reset links/);
    expect((await runCommand(requestPasswordResetCommand, anonymous, meta, { email: person.email })).mail).toBeNull();
    expect((await tokenRows(person.userId, "password_reset")).filter((t) => t.usedAt === null)).toHaveLength(MAX_OUTSTANDING_RESETS);
  });

  it("an owning org's administrator, after their own MFA check, clears the second-factor block", async () => {
    const { person, bAdmin, membershipId } = await ownedByB();
    await asOperator((tx) => tx.insert(authThrottle).values({ key: `mfa:${person.userId}`, failures: BLOCK_AFTER_FAILURES }));
    expect((await readAs(bAdmin.principal, (tx) => loadMemberSecurity(tx, bAdmin.principal, membershipId)))?.account).toMatchObject({ secondFactorBlocked: true });
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(bAdmin.principal), meta, { membershipId })).resolves.toEqual({ failures: BLOCK_AFTER_FAILURES });
    expect(await asOperator((tx) => tx.select().from(authThrottle).where(eq(authThrottle.key, `mfa:${person.userId}`)))).toHaveLength(0);
  });
});
