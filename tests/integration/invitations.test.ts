import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { memberships, users } from "@/db/schema";
import { runCommand, type CommandDefinition } from "@/lib/core/command";
import { ConflictError, UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { acceptInvitationCommand } from "@/lib/identity/accept-invitation";
import { createMemberCommand } from "@/lib/identity/create-member";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { findInvitation } from "@/lib/identity/find-one-time-link";
import { verifyPassword } from "@/lib/identity/passwords";
import { resendInvitationCommand } from "@/lib/identity/resend-invitation";
import { hashSecret } from "@/lib/identity/secrets";
import { asOperator } from "../support/as-operator";
import { listSourceFiles } from "../support/source-files";
import { runCli } from "../support/run-cli";
import { startSmtpSinkPerFile } from "../support/start-smtp-sink-per-file";
import { makeBranch, makeMember, makeOrg, meta, TEST_PASSWORD, unique } from "../support/factories";
import { accountPrincipalFor, sessionFor, signInAs } from "../support/sign-in-helpers";
import { setMfaPolicyCommand } from "@/lib/orgs/set-mfa-policy";
import { allAuditJson, anonymous, auditRows, openSession, tokenOf, tokenRows } from "./one-time-links";
import { operatorDb } from "../support/as-operator";

const CHOSEN = "my own chosen passphrase";

const sink = startSmtpSinkPerFile();

const accept = (token: string, input: { name?: string; password?: string } = { password: CHOSEN }) => runCommand(acceptInvitationCommand, anonymous, meta, { token, ...input });

/** An administrator adds someone new, as the add-member page does, and the mail goes out. */
async function invite(principal: Parameters<typeof runCommand>[1], email = `${unique("invitee")}@example.test`, extra: Record<string, unknown> = {}) {
  const created = await runCommand(createMemberCommand, principal, meta, { email, roleName: "Viewer", ...extra });
  expect(created.status).toBe("invited");
  expect(created.invitation?.to).toBe(email);
  await deliverMessage(created.invitation!.to, created.invitation!.message);
  const mail = await sink.waitForMail((m) => m.to.includes(email.toLowerCase()) && m.links.includes(created.invitation!.message.link));
  expect(mail.links).toHaveLength(1);
  return { ...created, email, link: mail.links[0]!, mail };
}

async function statusOf(membershipId: string) {
  const [row] = await asOperator((tx) => tx.select({ status: memberships.status }).from(memberships).where(eq(memberships.id, membershipId)));
  return row?.status;
}

async function passwordHashOf(userId: string) {
  const [row] = await operatorDb().select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return row?.hash ?? null;
}

describe("An admin can start a reset but cannot set another user's password (adding a member)", () => {
  it("an administrator passing a password when adding a member is refused, naming the field, and nothing is created", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const email = `${unique("m")}@example.test`;
    const error = await runCommand(createMemberCommand, admin.principal, meta, { email, password: TEST_PASSWORD, roleName: "Viewer" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({ password: ["an administrator cannot set another person's password; they get an invitation to choose their own"] });
    expect(await operatorDb().select().from(users).where(eq(sql`lower(${users.email})`, email))).toHaveLength(0);
  });

  it("there is no other path: no command an administrator runs through a permission takes a password, apart from adding a member (refused above)", async () => {
    const files = listSourceFiles().filter((f) => f.file.startsWith("lib/") && f.text.includes("defineCommand("));
    const takingPassword: string[] = [];
    for (const f of files) {
      const mod = (await import(`@/${f.file.replace(/\.ts$/, "")}`)) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        const command = value as CommandDefinition<never, unknown>;
        if (!command || typeof command !== "object" || typeof command.run !== "function" || !command.input) continue;
        const shape = (command.input as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } }).shape ?? (command.input as { def?: { in?: { shape?: Record<string, unknown> } } }).def?.in?.shape;
        const fields = Object.keys(shape ?? {});
        if (fields.some((k) => /password/i.test(k)) && typeof command.access === "object") takingPassword.push(command.name);
      }
    }
    // Public and self-service commands take a password only for the person proving who they are
    // (sign-in, their own reset or invitation link, their own password change).
    expect(takingPassword).toEqual(["member.created"]);
  });

  it("the operator (CLI, demo seed) may still set a password", async () => {
    const org = await makeOrg();
    const created = await runCommand(createMemberCommand, org.operator, meta, { email: `${unique("op")}@example.test`, password: TEST_PASSWORD, roleName: "Viewer" });
    expect(created).toMatchObject({ status: "active", invitation: null });
  });
});

describe("Reset and invitation tokens: at least 128 bits from a CSPRNG, stored hashed (invitations)", () => {
  it("adding a member issues an invitation link with 256 random bits; only its hash is stored, tied to the membership and org", async () => {
    const org = await makeOrg("Invite Co");
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const invited = await invite(admin.principal);
    const token = tokenOf(invited.link);
    expect(Buffer.from(token, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    const [row] = await tokenRows(invited.userId, "invitation");
    expect(row).toMatchObject({ tokenHash: hashSecret(token), membershipId: invited.membershipId, orgId: org.id, usedAt: null });
    expect((row!.expiresAt.getTime() - row!.createdAt.getTime()) / 1000).toBe(7 * 24 * 3600);
    expect(JSON.stringify(await operatorDb().execute(sql`select * from one_time_tokens`))).not.toContain(token);
    expect(invited.mail.subject).toContain("Invite Co");
    expect(invited.link.startsWith("http://localhost:3000/invitation?token=")).toBe(true);
    expect(await findInvitation(token)).toEqual({ orgName: "Invite Co", userId: invited.userId, email: invited.email, name: invited.email.split("@")[0], hasPassword: false });
  });

  it("INVITATION_TTL_SECONDS sets the lifetime", async () => {
    const org = await makeOrg();
    process.env.INVITATION_TTL_SECONDS = "3600";
    try {
      const created = await runCommand(createMemberCommand, org.operator, meta, { email: `${unique("ttl")}@example.test`, roleName: "Viewer" });
      const [row] = await tokenRows(created.userId, "invitation");
      expect((row!.expiresAt.getTime() - row!.createdAt.getTime()) / 1000).toBe(3600);
      expect(created.invitation!.message.text).toContain("valid for 1 hour");
    } finally {
      delete process.env.INVITATION_TTL_SECONDS;
    }
  });
});

describe("Reset and invitation tokens: single-use, expire within minutes (invitations)", () => {
  it("accepting sets the person's own password and activates the membership; the link then works no more; they can sign in", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const invited = await invite(admin.principal);
    const token = tokenOf(invited.link);
    const weak = await accept(token, { password: "password1" }).catch((e: unknown) => e);
    expect(weak).toBeInstanceOf(ValidationError);
    expect(Object.keys((weak as ValidationError).fieldErrors)).toEqual(["password"]);
    expect(await findInvitation(token)).not.toBeNull();

    const accepted = await accept(token, { name: "Ada Lovelace", password: CHOSEN });
    expect(accepted).toMatchObject({ membershipId: invited.membershipId, orgId: org.id, passwordSet: true });
    expect(await statusOf(invited.membershipId)).toBe("active");
    expect(await verifyPassword(await passwordHashOf(invited.userId), CHOSEN)).toBe(true);
    const [user] = await operatorDb().select({ name: users.name }).from(users).where(eq(users.id, invited.userId));
    expect(user!.name).toBe("Ada Lovelace");
    // Accepting signs the new person in: one session, the same row password sign-in opens, and
    // finished (a Viewer in an org that does not require MFA has nothing more to do).
    expect(await operatorDb().execute(sql`select 1 from sessions where user_id = ${invited.userId}`)).toHaveLength(1);
    const signedIn = await sessionFor(accepted.sessionToken!);
    expect(signedIn.session).toMatchObject({ userId: invited.userId, email: invited.email, pending: null });
    expect(signedIn.row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
    expect(accepted.pending).toBeNull();
    await expect(accept(token)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(await findInvitation(token)).toBeNull();
    expect(await openSession(invited.email, CHOSEN)).toBeTruthy();

    const [event] = (await auditRows("invitation.accepted")).filter((e) => e.target_id === invited.membershipId);
    expect(event).toMatchObject({ org_id: org.id, actor_type: "user", actor_id: invited.userId, actor_label: invited.email, metadata: { before: { status: "invited" }, after: { status: "active" }, passwordSet: true, sessionId: signedIn.row.id, pending: null } });
    expect(JSON.stringify(event)).not.toContain(accepted.sessionToken!);
  });

  it("accepting goes on to MFA enrollment when it is due: an admin-class role, or an org that requires it of everyone", async () => {
    const org = await makeOrg();
    // Granting Admin needs a step-up of whoever invites; the operator (CLI) invites here.
    const newAdmin = await invite(org.operator, undefined, { roleName: "Admin" });
    const asAdmin = await accept(tokenOf(newAdmin.link));
    expect(asAdmin.pending).toBe("enrollment");
    expect((await sessionFor(asAdmin.sessionToken!)).session.pending).toBe("enrollment");
    // A pending session is short-lived: good only for the enrollment step.
    expect((await sessionFor(asAdmin.sessionToken!)).row.expiresAt.getTime()).toBeLessThan(Date.now() + 60 * 60 * 1000);

    const strict = await makeOrg("Strict Co");
    await runCommand(setMfaPolicyCommand, strict.operator, meta, { requireMfa: true });
    const viewer = await invite(strict.operator);
    const asViewer = await accept(tokenOf(viewer.link));
    expect(asViewer.pending).toBe("enrollment");
  });

  it("someone else signed in on the browser keeps their session: the new person is not signed in over it", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const invited = await invite(admin.principal);
    const colleague = await makeMember(org.operator, { roleName: "Viewer" });
    const other = await signInAs(colleague.email);
    const accepted = await runCommand(acceptInvitationCommand, accountPrincipalFor(other.session), meta, { token: tokenOf(invited.link), password: CHOSEN });
    expect(accepted).toMatchObject({ passwordSet: true, sessionToken: null, pending: null });
    expect(await operatorDb().execute(sql`select 1 from sessions where user_id = ${invited.userId}`)).toHaveLength(0);
  });

  it("two acceptances racing with one link: exactly one succeeds", async () => {
    const org = await makeOrg();
    const invited = await invite(org.operator);
    const token = tokenOf(invited.link);
    const results = await Promise.allSettled([accept(token, { password: "first racing passphrase" }), accept(token, { password: "second racing passphrase" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(UnauthorizedError);
  });

  it("an expired invitation is refused and the membership stays invited", async () => {
    const org = await makeOrg();
    const invited = await invite(org.operator);
    const token = tokenOf(invited.link);
    await operatorDb().execute(sql`update one_time_tokens set expires_at = now() - interval '1 second' where token_hash = ${hashSecret(token)}`);
    expect(await findInvitation(token)).toBeNull();
    const error = await accept(token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as Error).message).toMatch(/expired or was already used/);
    expect(await statusOf(invited.membershipId)).toBe("invited");
    expect(await passwordHashOf(invited.userId)).toBeNull();
  });

  it("resending retires the earlier link and mails a new one; only an invited member can be re-invited", async () => {
    const org = await makeOrg();
    const branch = await makeBranch(org.operator, "Depot");
    const manager = await makeMember(org.operator, { roleName: "Manager", branchId: branch.id });
    const invited = await invite(manager.principal, undefined, { branchId: branch.id });
    const resent = await runCommand(resendInvitationCommand, manager.principal, meta, { membershipId: invited.membershipId });
    expect(resent.mail.to).toBe(invited.email);
    expect(resent.mail.message.subject).toContain(org.name);
    await expect(accept(tokenOf(invited.link))).rejects.toBeInstanceOf(UnauthorizedError);
    await accept(tokenOf(resent.mail.message.link));
    expect(await statusOf(invited.membershipId)).toBe("active");
    await expect(runCommand(resendInvitationCommand, manager.principal, meta, { membershipId: invited.membershipId })).rejects.toBeInstanceOf(ConflictError);
    const [event] = (await auditRows("member.invitation.resent")).filter((e) => e.target_id === invited.membershipId);
    expect(event).toMatchObject({ org_id: org.id, actor_id: manager.userId });
  });

  it("someone who already has a password keeps it and accepts signed in as themselves; their invitation needs no password", async () => {
    const first = await makeOrg();
    const second = await makeOrg("Second Org");
    const email = `${unique("two")}@example.test`;
    const a = await invite(first.operator, email);
    const b = await invite(second.operator, email);
    await accept(tokenOf(a.link));
    expect(await findInvitation(tokenOf(b.link))).toMatchObject({ orgName: "Second Org", userId: a.userId, hasPassword: true });
    // The link alone no longer joins an existing account (member-consent.test.ts covers who may).
    await expect(accept(tokenOf(b.link), { password: "an attempt to overwrite it" })).rejects.toBeInstanceOf(UnauthorizedError);
    const session = (await signInAs(email, CHOSEN)).session;
    const joined = await runCommand(acceptInvitationCommand, accountPrincipalFor(session), meta, { token: tokenOf(b.link), password: "an attempt to overwrite it" });
    expect(joined).toMatchObject({ passwordSet: false, orgId: second.id });
    expect(await statusOf(b.membershipId)).toBe("active");
    expect(await verifyPassword(await passwordHashOf(a.userId), CHOSEN)).toBe(true);
  });
});

describe("Audit: no secrets in entries (invitations)", () => {
  it("adding, resending and accepting are audited and no audit row contains an invitation token", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const invited = await invite(admin.principal);
    const resent = await runCommand(resendInvitationCommand, admin.principal, meta, { membershipId: invited.membershipId });
    const tokens = [tokenOf(invited.link), tokenOf(resent.mail.message.link)];
    await accept(tokens[0]!).catch(() => null);
    await accept(tokens[1]!);
    const audit = await allAuditJson();
    for (const token of tokens) expect(audit).not.toContain(token);
    expect(audit).not.toContain(CHOSEN);
    for (const action of ["member.created", "member.invitation.resent", "invitation.accepted", "invitation.accept.failed"]) expect((await auditRows(action)).length, action).toBeGreaterThan(0);
  });
});

describe("the CLI invites when no --password is given", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "cs-invite-cli-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("mails the invitation through SMTP_URL, or saves it to the outbox and shows the link on stderr with --json", async () => {
    const org = await makeOrg();
    const email = `${unique("cli")}@example.test`;
    const run = await runCli(dataDir, "user", "create", "--org", org.slug, "--email", email, "--role", "Viewer", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: "invited", invitation: "smtp" });
    const mail = await sink.waitForMail((m) => m.to.includes(email));
    expect(mail.links[0]).toContain("/invitation?token=");

    const offline = `${unique("cli")}@example.test`;
    const smtp = process.env.SMTP_URL;
    delete process.env.SMTP_URL;
    try {
      const saved = await runCli(dataDir, "user", "create", "--org", org.slug, "--email", offline, "--role", "Viewer", "--json");
      expect(saved.code, saved.stderr).toBe(0);
      expect(JSON.parse(saved.stdout)).toMatchObject({ status: "invited", invitation: "outbox" });
      expect(saved.stderr).toMatch(/\/invitation\?token=/);
      expect(readdirSync(path.join(dataDir, "outbox"))).toHaveLength(1);
      const human = await runCli(dataDir, "user", "create", "--org", org.slug, "--email", `${unique("cli")}@example.test`);
      expect(human.stdout).toMatch(/the invitation was saved to .* and its link printed above/);
    } finally {
      process.env.SMTP_URL = smtp;
    }
    const [member] = await asOperator((tx) => tx.select({ status: memberships.status }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(and(eq(memberships.orgId, org.id), eq(users.email, offline))));
    expect(member!.status).toBe("invited");
  }, 60_000);
});
