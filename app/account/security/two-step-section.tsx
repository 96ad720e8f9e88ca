import Link from "next/link";
import { formatDate } from "@/components/format";
import { PasskeyRegister } from "@/components/mfa/passkey-register";
import type { MfaFactors } from "@/lib/identity/mfa-policy";
import type { PasskeySummary } from "@/lib/mfa/list-passkeys";
import { addPasskeyAction, regenerateRecoveryCodesAction, removePasskeyAction, removeTotpAction, startPasskeyRegistrationAction } from "./actions";
import { ActionButton } from "./action-button";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { SectionStatus } from "./section-status";

const RECOVERY_CODE_COUNT = 10;
const ENROLL_HREF = `/account/security/enroll?callbackUrl=${encodeURIComponent("/account/security")}`;

/**
 * Second factors: an authenticator app, passkeys, and recovery codes that back them up. When
 * policy requires MFA of this person, the last factor's "Remove" is disabled (the command refuses
 * it anyway) and the page says why.
 */
export function TwoStepSection({ factors, passkeys, required, requiredBy = null }: { factors: MfaFactors; passkeys: PasskeySummary[]; required: boolean; requiredBy?: string | null }) {
  const factorCount = (factors.totp ? 1 : 0) + passkeys.length;
  const lastLocked = required && factorCount === 1;
  const lockedNote = lastLocked ? "last-factor-note" : undefined;
  return (
    <section aria-labelledby="two-step-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="two-step-heading" className="text-lg font-medium">
        Two-step verification
      </h2>
      <p className="text-sm text-slate-600">
        After your password, a second step proves it is you: a code from an authenticator app, or a passkey. Adding or removing one asks you to confirm it is you with your second factor (with your password while you have none) if you last did more than a few minutes ago.
      </p>
      {required ? (
        <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid="mfa-required">
          {requiredBy ?? "Two-step verification is required for you."} So you cannot remove your last authenticator app or passkey.
          {lastLocked ? <span id="last-factor-note"> Add another one first if you want to replace it.</span> : null}
        </p>
      ) : factorCount === 0 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Two-step verification is off. Set up an authenticator app or add a passkey to protect your account.</p>
      ) : null}
      <SectionStatus>
        <div className="space-y-6">
          <div className="space-y-2">
            <h3 className="font-medium">Authenticator app</h3>
            {factors.totp ? (
              <div className="flex flex-wrap items-center gap-3">
                <p className="text-sm text-slate-700" id="totp-state">
                  On: sign-in asks for a 6-digit code from your app.
                </p>
                <ActionButton
                  action={removeTotpAction}
                  label="Remove"
                  pendingLabel="Removing…"
                  describedBy={lockedNote ?? "totp-state"}
                  disabled={lastLocked}
                  confirm={{ question: "Remove your authenticator app? Its codes stop working at once.", yes: "Yes, remove the app" }}
                />
              </div>
            ) : (
              <div className="flex flex-wrap items-center gap-3">
                <p className="text-sm text-slate-700">Not set up.</p>
                <Link href={ENROLL_HREF} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
                  Set up authenticator app
                </Link>
              </div>
            )}
          </div>

          <div className="space-y-2">
            <h3 className="font-medium">Passkeys</h3>
            {passkeys.length === 0 ? (
              <p className="text-sm text-slate-700">No passkeys yet. A passkey lives on this device or a security key and needs no code.</p>
            ) : (
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Your passkeys">
                {passkeys.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
                    <div className="text-sm">
                      <p id={`passkey-${p.id}`} className="font-medium">
                        {p.name}
                      </p>
                      <p className="text-slate-600">
                        Added {formatDate(p.createdAt.toISOString())} · {p.lastUsedAt ? `last used ${formatDate(p.lastUsedAt.toISOString())}` : "not used yet"}
                      </p>
                    </div>
                    <ActionButton
                      action={removePasskeyAction.bind(null, p.id)}
                      label="Remove"
                      pendingLabel="Removing…"
                      describedBy={lockedNote ?? `passkey-${p.id}`}
                      disabled={lastLocked}
                      confirm={{ question: `Remove the passkey “${p.name}”? It can no longer be used to sign in.`, yes: "Yes, remove the passkey" }}
                    />
                  </li>
                ))}
              </ul>
            )}
            <PasskeyRegister startAction={startPasskeyRegistrationAction} finishAction={addPasskeyAction} />
          </div>
        </div>
      </SectionStatus>

      <div className="space-y-2">
        <h3 className="font-medium">Recovery codes</h3>
        <p className="text-sm text-slate-600">Single-use codes for when you cannot use your app or passkey. Keep them somewhere safe, away from this device.</p>
        <RecoveryCodesPanel left={factors.recoveryCodesLeft} total={RECOVERY_CODE_COUNT} canGenerate={factors.totp || factors.passkeys > 0} action={regenerateRecoveryCodesAction} />
      </div>
    </section>
  );
}
