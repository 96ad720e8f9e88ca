import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships } from "@/db/schema";
import { findLastSignIn } from "@/lib/audit/find-last-sign-in";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditListQuerySchema } from "@/lib/audit/schemas";
import { verifyChain } from "@/lib/audit/verify-chain";
import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { systemPrincipal } from "@/lib/core/system-principal";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { signInCommand } from "@/lib/identity/sign-in";
import { signOutCommand } from "@/lib/identity/sign-out";
import { makeMember, makeOrg, meta, TEST_PASSWORD, unique } from "../support/factories";
import { memberPrincipalFor, requestMeta, signInAs } from "../support/sign-in-helpers";
import { operatorDb } from "../support/as-operator";

/**
 * A member's sign-in events are appended to the chain of every org where they are an active
 * member (lib/audit/fan-out-sign-in.ts), so each org's administrator sees them in their own
 * trail, and that trail's verification covers them. What has no person or no org stays global.
 */
type Org = Awaited<ReturnType<typeof makeOrg>>;

/** The org's trail filtered by `auth.`, as the audit page's filter asks for it. */
async function authEvents(org: Org) {
  const reader = systemPrincipal("test", { id: org.id, slug: org.slug, name: org.name });
  return (await readAs(reader, (tx) => listAuditEvents(tx, reader, auditListQuerySchema.parse({ action: "auth.", limit: 100 })))).data;
}

async function globalEvents(where: ReturnType<typeof sql>) {
  return operatorDb().execute<{ action: string }>(sql`select action from audit_events where org_id is null and ${where}`);
}

/** A person who is an active member of two orgs. */
async function memberOfTwo() {
  const a = await makeOrg("Alpha");
  const b = await makeOrg("Beta");
  const member = await makeMember(a.operator);
  // Added to Beta too: an existing account is invited; the test takes the acceptance as done.
  const inB = await runCommand(createMemberCommand, b.operator, meta, { email: member.email, roleName: "Buyer", branchId: null });
  await operatorDb().update(memberships).set({ status: "active" }).where(and(eq(memberships.id, inB.membershipId), eq(memberships.orgId, b.id)));
  return { a, b, member };
}

describe("sign-ins in the org's trail", () => {
  it("Log every sign-in attempt, pass or fail: a member's sign-in, failed attempt and sign-out are in the trail of each org they belong to, with IP and user agent", async () => {
    const { a, b, member } = await memberOfTwo();
    const signedIn = await signInAs(member.email, TEST_PASSWORD, "198.51.100.7");
    await expect(runCommand(signInCommand, anonymousPrincipal(), requestMeta("198.51.100.8"), { email: member.email, password: "not the password" })).rejects.toThrow();
    await runCommand(signOutCommand, await memberPrincipalFor(signedIn.token, a.slug), requestMeta("198.51.100.7"), {});

    for (const org of [a, b]) {
      const events = await authEvents(org);
      expect(events.map((e) => e.action).sort(), org.slug).toEqual(["auth.signin.failed", "auth.signin.succeeded", "auth.signout"]);
      const success = events.find((e) => e.action === "auth.signin.succeeded")!;
      expect(success).toMatchObject({ actorId: member.userId, actorLabel: member.email, ip: "198.51.100.7", userAgent: "vitest", outcome: "success" });
      expect(events.find((e) => e.action === "auth.signin.failed")).toMatchObject({ ip: "198.51.100.8", outcome: "denied", metadata: { email: member.email, reason: "bad-password" } });
      // The member's page reads the last one with one index probe.
      expect(await findLastSignIn(operatorDb(), org.id, member.userId)).toEqual({ occurredAt: success.occurredAt, ip: "198.51.100.7", userAgent: "vitest" });
      expect(await verifyChain(operatorDb(), org.id)).toMatchObject({ intact: true });
    }
    // One event per org chain, none left on the global chain.
    expect(await globalEvents(sql`(actor_id = ${member.userId} or metadata->>'email' = ${member.email})`)).toHaveLength(0);
  });

  it("sign-ins with an unknown email, and those of a person with no active membership, stay in the global trail", async () => {
    const org = await makeOrg();
    const unknown = `${unique("nobody")}@example.test`;
    await expect(runCommand(signInCommand, anonymousPrincipal(), requestMeta("198.51.100.9"), { email: unknown, password: "whatever it is" })).rejects.toThrow();
    expect(await globalEvents(sql`action = 'auth.signin.failed' and metadata->>'email' = ${unknown}`)).toHaveLength(1);

    // Only invited (not yet joined): the sign-in itself is allowed, to accept the invitation, but no org's trail gets it.
    const member = await makeMember(org.operator);
    await operatorDb().update(memberships).set({ status: "invited" }).where(eq(memberships.id, member.membershipId));
    await signInAs(member.email);
    expect(await globalEvents(sql`action = 'auth.signin.succeeded' and actor_id = ${member.userId}`)).toHaveLength(1);
    expect((await authEvents(org)).filter((e) => e.actorId === member.userId)).toEqual([]);
    expect(await findLastSignIn(operatorDb(), org.id, member.userId)).toBeNull();
  });
});
