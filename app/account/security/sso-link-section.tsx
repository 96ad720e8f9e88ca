import type { OwnSsoLinks } from "@/lib/sso/list-own-links";
import { SecurityActionButton } from "@/components/access/security-action-button";
import { startIdentityLinkAction, unlinkOwnIdentityAction } from "./sso-link-actions";
import { SsoLinkForm } from "./sso-link-form";

// Fixed texts for /sso/link/complete's outcome codes (never free text from the URL).
const OUTCOMES: Record<string, { ok: boolean; text: string }> = {
  linked: { ok: true, text: "Linked: you can now sign in to this account through that identity provider." },
  taken: { ok: false, text: "That identity is already linked to another account, so it was not linked to yours." },
  "already-has": { ok: false, text: "Your account already has an identity at that connection." },
  expired: { ok: false, text: "That link request has expired, was already used, or was not yours. Start again." },
  unlinked: { ok: true, text: "Unlinked: that identity provider no longer signs you in to this account, and the roles its rules gave you here were removed." },
};

/**
 * The person's SSO identities in one org, and linking another: their password, a recent second
 * factor, then the IdP's sign-in. An email match never links on its own.
 */
export function SsoLinkSection({ org, orgName, links, outcome, hasSecondFactor }: { org: string; orgName: string; links: OwnSsoLinks; outcome: string | undefined; hasSecondFactor: boolean }) {
  if (links.linked.length === 0 && links.linkable.length === 0) return null;
  const said = outcome && Object.hasOwn(OUTCOMES, outcome) ? OUTCOMES[outcome]! : null;
  return (
    <section aria-labelledby="sso-links-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="sso-links-heading" className="text-lg font-medium">
        Single sign-on ({orgName})
      </h2>
      {said ? (
        <p role="status" className={`rounded-md px-3 py-2 text-sm ${said.ok ? "bg-emerald-50 text-emerald-900" : "bg-amber-50 text-amber-900"}`}>
          {said.text}
        </p>
      ) : null}
      {links.linked.length > 0 ? (
        <ul className="divide-y divide-slate-100 text-sm">
          {links.linked.map((l) => (
            <li key={l.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
              <span className="min-w-0 break-words">
                <span className="font-medium">{l.connectionName}</span> <span className="text-slate-600">as {l.subject}, linked {l.linkedAt.toISOString().slice(0, 10)}</span>
              </span>
              <SecurityActionButton
                action={unlinkOwnIdentityAction.bind(null, org, l.id)}
                label={`Unlink ${l.connectionName}`}
                pendingLabel="Unlinking…"
                confirm={{ question: `Unlink ${l.connectionName}? It will no longer sign you in here, and the roles its rules gave you in ${orgName} are removed.`, yes: "Unlink" }}
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">Your account is not linked to {orgName}&apos;s identity provider.</p>
      )}
      {links.linkable.length > 0 ? (
        hasSecondFactor ? (
          <SsoLinkForm action={startIdentityLinkAction.bind(null, org)} connections={links.linkable} />
        ) : (
          <p className="text-sm text-slate-600">Linking needs your password and a second factor: set up two-step verification above first.</p>
        )
      ) : null}
    </section>
  );
}
