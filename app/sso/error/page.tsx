import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Single sign-on did not succeed" };

// Fixed texts per reason (never free text from the URL).
const REASONS: Record<string, string> = {
  "no-mapping-rule": "Your organization has not given your identity provider groups any access here yet. Ask your administrator to add a mapping rule or a default role.",
  "domain-not-verified": "Your email's domain is not verified for this connection, so no account can be created for it here.",
  "account-exists-link-required": "An account with your email already exists. It is not linked to your identity provider automatically: sign in with its password, or ask your organization's administrator to link it.",
  "member-deactivated": "Your membership in this organization is deactivated.",
  "user-disabled": "This account is disabled.",
  "groups-overage": "Your identity provider sent too many groups to read. Ask your administrator to limit the groups sent to this application (or to use app roles).",
  "state-invalid": "This sign-in link has expired or was already used. Start again.",
  "token-rejected": "The answer from your identity provider could not be verified.",
  "signature-invalid": "The answer from your identity provider could not be verified.",
  "assertion-expired": "The answer from your identity provider has expired. Start again (if it keeps happening, the identity provider's clock may be wrong).",
  "assertion-replayed": "This answer from your identity provider was already used. Start again.",
  "assertion-not-encrypted": "Your organization requires the identity provider to encrypt its answer, and this one was not encrypted. Ask your administrator to turn on assertion encryption at the identity provider.",
  "assertion-decryption-failed": "The answer from your identity provider was encrypted for another application and could not be read. Ask your administrator to give the identity provider this connection's current metadata.",
  "idp-initiated-disabled": "This organization accepts sign-ins started here only. Start from the sign-in page with your email.",
};

export default async function SsoErrorPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const text = typeof reason === "string" && Object.hasOwn(REASONS, reason) ? REASONS[reason] : "Single sign-on did not succeed.";
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Single sign-on did not succeed</h1>
        <p role="alert" className="mt-3 text-sm text-slate-700">
          {text}
        </p>
        <p className="mt-4 text-sm">
          <Link href="/sign-in" className="text-brand-700 underline">
            Back to sign-in
          </Link>
        </p>
      </div>
    </main>
  );
}
