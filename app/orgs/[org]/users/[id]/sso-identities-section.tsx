import { SecurityActionButton } from "@/components/access/security-action-button";
import type { MemberIdentity } from "@/lib/sso/list-member-identities";
import { unlinkMemberIdentityAction } from "./sso-identity-actions";

/** The member's SSO identities, for those who manage SSO; unlinking removes the grants the connection's rules gave. */
export function SsoIdentitiesSection({ org, membershipId, memberName, identities }: { org: string; membershipId: string; memberName: string; identities: MemberIdentity[] }) {
  return (
    <section aria-labelledby="sso-identities-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="sso-identities-heading" className="text-lg font-medium">
        Single sign-on identities
      </h2>
      {identities.length === 0 ? (
        <p className="text-sm text-slate-600">Not linked to any of your identity providers: they sign in with a password.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {identities.map((i) => (
            <li key={i.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
              <span className="min-w-0 break-words">
                <span className="font-medium">{i.connectionName}</span> <span className="text-slate-600">as {i.subject}</span>
                <span className="block text-slate-500">
                  Linked {i.linkedAt.toISOString().slice(0, 10)} · {i.lastSignInAt ? `last SSO sign-in ${i.lastSignInAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "no SSO sign-in yet"}
                </span>
              </span>
              <SecurityActionButton
                action={unlinkMemberIdentityAction.bind(null, org, membershipId, i.id)}
                label={`Unlink ${i.connectionName}`}
                pendingLabel="Unlinking…"
                confirm={{ question: `Unlink ${memberName} from ${i.connectionName}? That identity will no longer sign them in, and the roles its rules gave them are removed. Their sessions stay: end them below if needed.`, yes: "Unlink" }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
