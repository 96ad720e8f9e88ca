import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/access/access";
import { readAs } from "@/lib/core/read-as";
import { listSsoSettings } from "@/lib/sso/list-connections";
import { requirePrincipal } from "../../../../load-viewer";

export const metadata: Metadata = { title: "Single sign-on" };

/**
 * The org's SSO settings for members holding sso:manage at the org root: connections (never a
 * secret), domains with their TXT record and status, mapping rules. Read-only for now: changes
 * are made with `npm run cli -- sso …` (docs/adr/0014-enterprise-sso.md says what is not built).
 */
export default async function SsoSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  if (!can(principal.access, "sso:manage", "")) notFound();
  const settings = await readAs(principal, (tx) => listSsoSettings(tx, principal));
  const nameOf = (id: string | null) => settings.connections.find((c) => c.id === id)?.name ?? "(no connection)";
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">Single sign-on</h1>
      <section aria-labelledby="sso-connections" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="sso-connections" className="text-lg font-medium">
          Connections
        </h2>
        {settings.connections.length === 0 ? (
          <p className="text-sm text-slate-600">No connections yet. Add one with `npm run cli -- sso connection create --org {org} --protocol oidc …`.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {settings.connections.map((c) => (
              <li key={c.id} className="py-2 break-words">
                <p className="font-medium">
                  {c.name} <span className="text-slate-500">({c.protocol}, {c.preset}{c.enabled ? "" : ", disabled"})</span>
                </p>
                <p className="text-slate-600">Issuer: {c.issuer}</p>
                <p className="text-slate-600">{c.redirectUri ? `Redirect URI: ${c.redirectUri}` : `ACS: ${c.acsUrl}; entity id: ${c.entityId}`}</p>
                <p className="text-slate-600">MFA: {c.mfaPolicy === "idp" ? "trusts the IdP's MFA (admins still use ours)" : "our own second factor"}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sso-domains" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="sso-domains" className="text-lg font-medium">
          Domains
        </h2>
        {settings.domains.length === 0 ? (
          <p className="text-sm text-slate-600">No domains claimed. An organization owns the accounts at the domains it verifies.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {settings.domains.map((d) => (
              <li key={d.id} className="py-2 break-words">
                <p className="font-medium">
                  {d.domain} <span className={d.verified ? "text-emerald-700" : "text-amber-700"}>{d.verified ? `verified (${d.verifiedBy})` : "not verified"}</span>
                </p>
                <p className="text-slate-600">Connection: {nameOf(d.connectionId)}</p>
                {d.verified ? null : (
                  <p className="text-slate-600">
                    TXT record: <code>{d.txtRecord.name}</code> = <code>{d.txtRecord.value}</code>
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sso-mappings" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="sso-mappings" className="text-lg font-medium">
          Mapping rules
        </h2>
        {settings.mappings.length === 0 ? (
          <p className="text-sm text-slate-600">No rules: nobody signing in through SSO gets a role unless a connection names a default.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {settings.mappings.map((m) => (
              <li key={m.id} className="py-2 break-words">
                {nameOf(m.connectionId)}: {m.claim} = <code>{m.value}</code> → {m.role}
                {m.branch ? ` at ${m.branch}` : " for the whole organization"}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
