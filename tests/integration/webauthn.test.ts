import type { CommandTx } from "@/lib/core/command-tx";
import { sql } from "drizzle-orm";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { noAccess } from "@/lib/access/access";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError, StepUpRequiredError, UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { resolveSession } from "@/lib/identity/resolve-session";
import { addPasskeyCommand } from "@/lib/mfa/add-passkey";
import { passkeyAssertionSchema, verifyPasskeyAssertion } from "@/lib/mfa/checks/verify-passkey-assertion";
import { relyingParty } from "@/lib/mfa/relying-party";
import { regenerateRecoveryCodesCommand } from "@/lib/mfa/regenerate-recovery-codes";
import { removePasskeyCommand } from "@/lib/mfa/remove-passkey";
import { startPasskeyAuthenticationCommand } from "@/lib/mfa/start-passkey-authentication";
import { startPasskeyRegistrationCommand } from "@/lib/mfa/start-passkey-registration";
import { verifySecondFactorCommand } from "@/lib/mfa/verify-second-factor";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta } from "../support/factories";
import { principalForToken, requestMeta, signInAs } from "../support/sign-in-helpers";
import { SoftAuthenticator } from "../support/soft-authenticator";

const ORIGIN = "http://localhost:3999";
const EVIL_ORIGIN = "https://countersign.evil.example";

beforeAll(() => {
  process.env.APP_URL = ORIGIN;
  delete process.env.WEBAUTHN_RP_ID;
});

/** A signed-in person acting on their own account; `signedInMinutesAgo` ages their last sign-in and MFA check. */
async function makeUser(signedInMinutesAgo = 0) {
  const org = await makeOrg();
  const member = await makeMember(org.operator);
  return { userId: member.userId, email: member.email, principal: userPrincipal(member, signedInMinutesAgo) };
}

function userPrincipal(member: { userId: string; email: string }, signedInMinutesAgo = 0): Principal {
  return {
    actor: { type: "user", userId: member.userId, label: member.email },
    org: null,
    membershipId: null,
    access: noAccess,
    sessionId: crypto.randomUUID(),
    sessionAuth: { reauthenticatedAt: new Date(Date.now() - signedInMinutesAgo * 60_000), mfaVerifiedAt: new Date(Date.now() - signedInMinutesAgo * 60_000) },
  };
}

async function registerPasskey(principal: Principal, authenticator = new SoftAuthenticator(), name = "Laptop") {
  const options = await runCommand(startPasskeyRegistrationCommand, principal, meta, {});
  const response = authenticator.createRegistrationResponse(options, { origin: ORIGIN });
  const added = await runCommand(addPasskeyCommand, principal, meta, { name, response });
  return { authenticator, added, options, response };
}

const startAuthentication = (principal: Principal) => runCommand(startPasskeyAuthenticationCommand, principal, meta, {});

// The real caller is the auth.mfa.verified command; here the check runs in a transaction of its own.
const verify = (userId: string, response: AuthenticationResponseJSON) =>
  // The check on its own, in a transaction standing in for a command's.
  getDb().transaction((tx) => verifyPasskeyAssertion(tx as CommandTx, userId, passkeyAssertionSchema.parse(response)));

async function storedPasskey(credentialId: string) {
  const [row] = await getDb().execute<{ id: string; counter: number; public_key: string; last_used_at: string | null; transports: string[]; name: string }>(
    sql`select id, counter::int as counter, public_key, last_used_at, transports, name from webauthn_credentials where credential_id = ${credentialId}`,
  );
  return row;
}

/** Resolves to the refusal's audit reason, failing the test if the call succeeded or failed otherwise. */
async function refusalReason(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  return (error as UnauthorizedError).auditDetail.reason;
}

describe("passkeys (WebAuthn) as a second factor", () => {
  it("the relying party comes from APP_URL (never the request), narrowed or widened by WEBAUTHN_RP_ID", () => {
    expect(relyingParty()).toEqual({ rpID: "localhost", rpName: "Countersign", origin: ORIGIN });
    process.env.APP_URL = "https://accounts.example.com/countersign";
    process.env.WEBAUTHN_RP_ID = "example.com";
    try {
      expect(relyingParty()).toEqual({ rpID: "example.com", rpName: "Countersign", origin: "https://accounts.example.com" });
    } finally {
      process.env.APP_URL = ORIGIN;
      delete process.env.WEBAUTHN_RP_ID;
    }
  });

  it("registration then authentication succeeds and updates the counter", async () => {
    const user = await makeUser();
    const { authenticator, added, options } = await registerPasskey(user.principal, new SoftAuthenticator(), "  Work laptop  ");
    expect(options.rp).toEqual({ id: "localhost", name: "Countersign" });
    expect(options.user.name).toBe(user.email);
    expect(options.attestation).toBe("none");
    expect(added).toEqual({ id: expect.any(String), name: "Work laptop" });
    const stored = await storedPasskey(authenticator.id);
    expect(stored).toMatchObject({ id: added.id, counter: 0, transports: ["internal"], name: "Work laptop", last_used_at: null });

    // A second registration excludes the passkey already there.
    const again = await runCommand(startPasskeyRegistrationCommand, user.principal, meta, {});
    expect(again.excludeCredentials?.map((c) => c.id)).toEqual([authenticator.id]);

    const request = await startAuthentication(user.principal);
    expect(request.rpId).toBe("localhost");
    expect(request.allowCredentials?.map((c) => c.id)).toEqual([authenticator.id]);
    const result = await verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 7 }));
    expect(result).toEqual({ passkeyId: added.id, name: "Work laptop" });
    const after = await storedPasskey(authenticator.id);
    expect(after?.counter).toBe(7);
    expect(after?.last_used_at).not.toBeNull();
  });

  it("authenticators that keep no counter (always 0) are accepted", async () => {
    const user = await makeUser();
    const { authenticator } = await registerPasskey(user.principal);
    for (let i = 0; i < 2; i++) {
      const request = await startAuthentication(user.principal);
      await expect(verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 0 }))).resolves.toMatchObject({ name: "Laptop" });
    }
  });

  it("asking for a passkey challenge without any passkey names the problem", async () => {
    const user = await makeUser();
    const error = await startAuthentication(user.principal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({ passkey: ["no passkey is set up for this account"] });
  });

  it("the passkey name is required and at most 60 characters", async () => {
    const user = await makeUser();
    const options = await runCommand(startPasskeyRegistrationCommand, user.principal, meta, {});
    const response = new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN });
    for (const name of ["   ", "x".repeat(61)]) {
      const error = await runCommand(addPasskeyCommand, user.principal, meta, { name, response }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(["name"]);
    }
  });
});

describe("A new id is issued at login and at step-up (session fixation): a passkey finishes a pending sign-in", () => {
  it("a member whose only factor is a passkey signs in with it: the challenge is issued to the pending session, and the sign-in finishes with a new id", async () => {
    const user = await makeUser();
    const { authenticator } = await registerPasskey(user.principal);
    const pending = await signInAs(user.email);
    expect(pending.pending).toBe("mfa");
    const principal = await principalForToken(pending.token);
    const request = await runCommand(startPasskeyAuthenticationCommand, principal, requestMeta(), {});
    const response = authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 1 });
    const { sessionToken } = await runCommand(verifySecondFactorCommand, principal, requestMeta(), { method: "passkey", response });
    expect(await resolveSession(getDb(), pending.token)).toBeNull();
    expect(await resolveSession(getDb(), sessionToken)).toMatchObject({ sessionId: pending.row.id, pending: null, mfaVerifiedAt: expect.any(Date) });
  });

  it("a sign-in waiting for enrollment has no factor to prove: no passkey challenge is issued to it", async () => {
    const org = await makeOrg();
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    const pending = await signInAs(admin.email);
    expect(pending.pending).toBe("enrollment");
    await expect(runCommand(startPasskeyAuthenticationCommand, await principalForToken(pending.token), requestMeta(), {})).rejects.toBeInstanceOf(ForbiddenError);
    expect(await resolveSession(getDb(), pending.token)).toMatchObject({ pending: "enrollment" });
  });
});

describe("WebAuthn rejects a reused challenge, a wrong origin or rpId, and a falling signature counter", () => {
  it("WebAuthn rejects a reused challenge: the same authentication response twice", async () => {
    const user = await makeUser();
    const { authenticator } = await registerPasskey(user.principal);
    const request = await startAuthentication(user.principal);
    const response = authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 1 });
    await verify(user.userId, response);
    expect(await refusalReason(verify(user.userId, response))).toBe("passkey-challenge-invalid");
    // Even re-signed with a higher counter, the spent challenge stays spent.
    expect(await refusalReason(verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 2 })))).toBe("passkey-challenge-invalid");
    expect((await storedPasskey(authenticator.id))?.counter).toBe(1);
  });

  it("WebAuthn rejects a reused challenge: the same registration response twice", async () => {
    const user = await makeUser();
    const { response } = await registerPasskey(user.principal);
    expect(await refusalReason(runCommand(addPasskeyCommand, user.principal, meta, { name: "Replay", response }))).toBe("passkey-challenge-invalid");
    const [count] = await getDb().execute<{ n: number }>(sql`select count(*)::int as n from webauthn_credentials where user_id = ${user.userId}`);
    expect(count?.n).toBe(1);
    const [denied] = await asOperator((tx) =>
      tx.execute<{ metadata: Record<string, unknown> }>(sql`select metadata from audit_events where action = 'access.denied' and actor_id = ${user.userId} order by id desc limit 1`),
    );
    expect(denied?.metadata).toMatchObject({ command: "mfa.passkey.added", reason: "passkey-challenge-invalid" });
  });

  it("WebAuthn rejects a reused challenge: one issued for another ceremony, or to another person", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const { authenticator } = await registerPasskey(alice.principal);
    // A registration challenge answered as if it were an authentication one.
    const registration = await runCommand(startPasskeyRegistrationCommand, alice.principal, meta, {});
    const asAssertion = authenticator.createAuthenticationResponse({ challenge: registration.challenge, rpId: "localhost" }, { origin: ORIGIN, counter: 1 });
    expect(await refusalReason(verify(alice.userId, asAssertion))).toBe("passkey-challenge-invalid");
    // Bob's challenge cannot be spent by Alice's passkey.
    await registerPasskey(bob.principal);
    const bobsRequest = await startAuthentication(bob.principal);
    expect(await refusalReason(verify(alice.userId, authenticator.createAuthenticationResponse(bobsRequest, { origin: ORIGIN, counter: 1 })))).toBe("passkey-challenge-invalid");
  });

  it("WebAuthn rejects an expired challenge", async () => {
    const user = await makeUser();
    const { authenticator } = await registerPasskey(user.principal);
    const request = await startAuthentication(user.principal);
    await getDb().execute(sql`update webauthn_challenges set expires_at = now() - interval '1 second' where challenge = ${request.challenge}`);
    expect(await refusalReason(verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 1 })))).toBe("passkey-challenge-invalid");

    const options = await runCommand(startPasskeyRegistrationCommand, user.principal, meta, {});
    await getDb().execute(sql`update webauthn_challenges set expires_at = now() - interval '1 second' where challenge = ${options.challenge}`);
    const response = new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN });
    expect(await refusalReason(runCommand(addPasskeyCommand, user.principal, meta, { name: "Late", response }))).toBe("passkey-challenge-invalid");
  });

  it("WebAuthn rejects a wrong origin (a response collected on another site)", async () => {
    const user = await makeUser();
    const options = await runCommand(startPasskeyRegistrationCommand, user.principal, meta, {});
    const phished = new SoftAuthenticator().createRegistrationResponse(options, { origin: EVIL_ORIGIN });
    const addError = await runCommand(addPasskeyCommand, user.principal, meta, { name: "Phished", response: phished }).catch((e: unknown) => e);
    expect(addError).toBeInstanceOf(UnauthorizedError);
    expect((addError as UnauthorizedError).auditDetail).toMatchObject({ reason: "passkey-verification-failed", detail: expect.stringContaining("origin") });

    const { authenticator } = await registerPasskey(user.principal);
    const request = await startAuthentication(user.principal);
    const error = await verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: EVIL_ORIGIN, counter: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).message).toBe("That passkey could not be verified.");
    expect((error as UnauthorizedError).auditDetail).toMatchObject({ reason: "passkey-verification-failed", detail: expect.stringContaining(EVIL_ORIGIN) });
    expect((await storedPasskey(authenticator.id))?.counter).toBe(0);
  });

  it("WebAuthn rejects a wrong rpId (a credential scoped to another relying party)", async () => {
    const user = await makeUser();
    const options = await runCommand(startPasskeyRegistrationCommand, user.principal, meta, {});
    const foreign = new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN, rpId: "evil.example" });
    expect(await refusalReason(runCommand(addPasskeyCommand, user.principal, meta, { name: "Foreign", response: foreign }))).toBe("passkey-verification-failed");

    const { authenticator } = await registerPasskey(user.principal);
    const request = await startAuthentication(user.principal);
    expect(await refusalReason(verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: ORIGIN, rpId: "evil.example", counter: 1 })))).toBe("passkey-verification-failed");
  });

  it("WebAuthn rejects a falling signature counter (a cloned authenticator)", async () => {
    const user = await makeUser();
    const { authenticator } = await registerPasskey(user.principal);
    await verify(user.userId, authenticator.createAuthenticationResponse(await startAuthentication(user.principal), { origin: ORIGIN, counter: 5 }));
    const falling = authenticator.createAuthenticationResponse(await startAuthentication(user.principal), { origin: ORIGIN, counter: 3 });
    expect(await refusalReason(verify(user.userId, falling))).toBe("passkey-verification-failed");
    const standing = authenticator.createAuthenticationResponse(await startAuthentication(user.principal), { origin: ORIGIN, counter: 5 });
    expect(await refusalReason(verify(user.userId, standing))).toBe("passkey-verification-failed");
    expect((await storedPasskey(authenticator.id))?.counter).toBe(5);
    await expect(verify(user.userId, authenticator.createAuthenticationResponse(await startAuthentication(user.principal), { origin: ORIGIN, counter: 6 }))).resolves.toMatchObject({ name: "Laptop" });
  });

  it("WebAuthn rejects a bad signature and a passkey that is not the person's", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const { authenticator } = await registerPasskey(alice.principal);
    const { authenticator: bobsKey } = await registerPasskey(bob.principal);
    const request = await startAuthentication(alice.principal);
    // Bob's passkey presented for Alice.
    expect(await refusalReason(verify(alice.userId, bobsKey.createAuthenticationResponse(request, { origin: ORIGIN, counter: 1 })))).toBe("passkey-unknown");
    // Alice's credential id, signed by another key.
    const forged = new SoftAuthenticator().createAuthenticationResponse(request, { origin: ORIGIN, counter: 1 });
    const tampered = { ...forged, id: authenticator.id, rawId: authenticator.id };
    expect(await refusalReason(verify(alice.userId, tampered))).toBe("passkey-verification-failed");
  });
});

describe("passkey management", () => {
  it("Changing email or MFA settings needs a fresh login: adding or removing a passkey needs a recent MFA check once a factor exists (a password step-up is not one); asking for a challenge does not", async () => {
    const fresh = await makeUser();
    // The first passkey: no factor yet, so a recent sign-in (a password) is what can be asked.
    const passwordOnly: Principal = { ...fresh.principal, sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: null } };
    const { added, authenticator } = await registerPasskey(passwordOnly);
    const stale = userPrincipal(fresh, 20);
    for (const principal of [stale, passwordOnly]) {
      const error = await runCommand(startPasskeyRegistrationCommand, principal, meta, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepUpRequiredError);
      expect((error as StepUpRequiredError).kind).toBe("mfa");
    }
    const options = await runCommand(startPasskeyRegistrationCommand, fresh.principal, meta, {});
    const response = new SoftAuthenticator().createRegistrationResponse(options, { origin: ORIGIN });
    await expect(runCommand(addPasskeyCommand, stale, meta, { name: "Late", response })).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(runCommand(addPasskeyCommand, passwordOnly, meta, { name: "Late", response })).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(runCommand(removePasskeyCommand, stale, meta, { passkeyId: added.id })).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(runCommand(removePasskeyCommand, passwordOnly, meta, { passkeyId: added.id })).rejects.toBeInstanceOf(StepUpRequiredError);
    expect(await storedPasskey(authenticator.id)).toBeDefined();
    // Stepping up with a passkey is exactly what a stale session needs to be able to do.
    await expect(startAuthentication(stale)).resolves.toMatchObject({ allowCredentials: [expect.objectContaining({ id: authenticator.id })] });
  });

  it("removing another user's passkey is answered as not found; one's own is removed", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const { added: bobs, authenticator: bobsKey } = await registerPasskey(bob.principal);
    const { added: alices, authenticator: alicesKey } = await registerPasskey(alice.principal);
    await expect(runCommand(removePasskeyCommand, alice.principal, meta, { passkeyId: bobs.id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await storedPasskey(bobsKey.id)).toBeDefined();
    await expect(runCommand(removePasskeyCommand, alice.principal, meta, { passkeyId: alices.id })).resolves.toEqual({ id: alices.id });
    expect(await storedPasskey(alicesKey.id)).toBeUndefined();
  });

  it("removing the last passkey also removes the recovery codes (they back up a factor); removing one of two keeps them", async () => {
    const user = await makeUser();
    const { added: laptop } = await registerPasskey(user.principal, new SoftAuthenticator(), "Laptop");
    const { added: phone } = await registerPasskey(user.principal, new SoftAuthenticator(), "Phone");
    await runCommand(regenerateRecoveryCodesCommand, user.principal, meta, {});
    const codesLeft = async () => (await getDb().execute<{ n: number }>(sql`select count(*)::int as n from recovery_codes where user_id = ${user.userId}`))[0]!.n;
    expect(await codesLeft()).toBe(10);

    await runCommand(removePasskeyCommand, user.principal, meta, { passkeyId: laptop.id });
    expect(await codesLeft()).toBe(10);
    await runCommand(removePasskeyCommand, user.principal, meta, { passkeyId: phone.id });
    expect(await codesLeft()).toBe(0);
    const [last] = await asOperator((tx) =>
      tx.execute<{ metadata: Record<string, unknown> }>(sql`select metadata from audit_events where actor_id = ${user.userId} and action = 'mfa.passkey.removed' order by id desc limit 1`),
    );
    expect(last!.metadata).toMatchObject({ recoveryCodesRemoved: 10 });
  });

  it("every passkey command is audited with the user as target and never a key or credential id", async () => {
    const user = await makeUser();
    const { added, authenticator } = await registerPasskey(user.principal, new SoftAuthenticator(), "Phone");
    const stored = await storedPasskey(authenticator.id);
    const request = await startAuthentication(user.principal);
    await verify(user.userId, authenticator.createAuthenticationResponse(request, { origin: ORIGIN, counter: 1 }));
    await runCommand(removePasskeyCommand, user.principal, meta, { passkeyId: added.id });

    const rows = await asOperator((tx) =>
      tx.execute<{ action: string; target_type: string | null; target_id: string | null; metadata: Record<string, unknown> }>(
        sql`select action, target_type, target_id, metadata from audit_events where actor_id = ${user.userId} order by id`,
      ),
    );
    expect(rows.map((r) => r.action)).toEqual(["mfa.passkey.registration_started", "mfa.passkey.added", "mfa.challenge.issued", "mfa.passkey.removed"]);
    for (const row of rows) expect(row).toMatchObject({ target_type: "user", target_id: user.userId });
    expect(rows[1]!.metadata).toEqual({ passkeyId: added.id, name: "Phone" });
    expect(rows[2]!.metadata).toEqual({ method: "passkey" });
    const text = JSON.stringify(rows);
    expect(text).not.toContain(stored!.public_key);
    expect(text).not.toContain(authenticator.id);
    expect(text).not.toContain(request.challenge);
  });
});
