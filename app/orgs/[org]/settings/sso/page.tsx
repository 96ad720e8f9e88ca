import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/access/access";
import { hasSteppedUp } from "@/lib/core/step-up";
import { readAs } from "@/lib/core/read-as";
import { dryRunMappings } from "@/lib/sso/dry-run-mappings";
import { readDryRunQuery } from "@/lib/sso/dry-run-query";
import { getSsoPolicy } from "@/lib/sso/get-sso-policy";
import { listSsoSettings } from "@/lib/sso/list-connections";
import { requirePrincipal } from "../../../../load-viewer";
import { stepUpPath } from "../../../../account/step-up-path";
import {
  addDomainAction,
  addMappingAction,
  createOidcConnectionAction,
  createSamlConnectionAction,
  deleteConnectionAction,
  linkIdentityAction,
  removeDomainAction,
  removeMappingAction,
  setSsoPolicyAction,
  testConnectionAction,
  updateConnectionAction,
  verifyDomainAction,
} from "./actions";
import { ConfirmActionButton } from "./confirm-action-button";
import { LinkMemberForm } from "./link-member-form";
import { SamlKeyControls } from "./saml-key-controls";
import { ConnectionControls } from "./connection-controls";
import { ConnectionForm } from "./connection-form";
import { SamlConnectionForm } from "./saml-connection-form";
import { DomainForm } from "./domain-form";
import { DryRunForm } from "./dry-run-form";
import { MappingForm } from "./mapping-form";
import { PolicyForm } from "./policy-form";
import { loadSsoChoices } from "./sso-choices";

export const metadata: Metadata = { title: "Single sign-on" };

const card = "space-y-3 rounded-lg border border-slate-200 bg-white p-4";

/**
 * The org's SSO settings for members holding sso:manage at the org root: connections (never a
 * secret), domains with their TXT record and status, mapping rules with a dry run, and "Require
 * SSO". Every change needs a recent second factor: the page says so up front, and an action
 * without one sends the person to confirm it and back here (describeFailure).
 */
export default async function SsoSettingsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const dryRunQuery = readDryRunQuery(await searchParams);
  const principal = await requirePrincipal(org);
  if (!can(principal.access, "sso:manage", "")) notFound();
  const { settings, policy, choices, dryRun } = await readAs(principal, async (tx) => {
    const settings = await listSsoSettings(tx, principal);
    // The dry run names a connection from the query string: only one of this org's is looked at.
    const known = dryRunQuery.input && settings.connections.some((c) => c.id === dryRunQuery.input!.connectionId);
    return {
      settings,
      policy: await getSsoPolicy(tx, principal),
      choices: await loadSsoChoices(tx, principal, settings.connections),
      dryRun: known ? await dryRunMappings(tx, principal, dryRunQuery.input!) : null,
    };
  });
  const nameOf = (id: string | null) => settings.connections.find((c) => c.id === id)?.name ?? "(no connection)";
  const here = `/orgs/${org}/settings/sso`;
  return (
    <div className="max-w-3xl space-y-4 break-words">
      <h1 className="text-2xl font-semibold">Single sign-on</h1>
      {hasSteppedUp(principal, "mfa") ? null : (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Changes here need a recent second-factor check.{" "}
          <a className="text-brand-700 underline" href={stepUpPath(here)}>
            Confirm it is you
          </a>{" "}
          first, or you will be asked when you save.
        </p>
      )}
      <section aria-labelledby="sso-connections" className={card}>
        <h2 id="sso-connections" className="text-lg font-medium">
          Connections
        </h2>
        {settings.connections.length === 0 ? (
          <p className="text-sm text-slate-600">No connections yet. Add your Okta, Microsoft Entra ID or other OIDC provider, or any SAML 2.0 IdP, below.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {settings.connections.map((c) => (
              <li key={c.id} className="space-y-1 py-3">
                <p className="font-medium">
                  {c.name} <span className="text-slate-500">({c.protocol}, {c.preset}{c.enabled ? "" : ", disabled"})</span>
                </p>
                <p className="text-slate-600">Issuer: {c.issuer}</p>
                <p className="text-slate-600">{c.redirectUri ? `Redirect URI: ${c.redirectUri}` : `ACS: ${c.acsUrl}; entity id: ${c.entityId}`}</p>
                <p className="text-slate-600">MFA: {c.mfaPolicy === "idp" ? "trusts the IdP's MFA (admins still use ours)" : "our own second factor"}</p>
                {c.protocol === "saml" ? <SamlKeyControls org={org} connection={c} /> : null}
                <ConnectionControls
                  name={c.name}
                  enabled={c.enabled}
                  test={testConnectionAction.bind(null, org, c.id)}
                  toggle={updateConnectionAction.bind(null, org, c.id, null, { enabled: !c.enabled })}
                  remove={deleteConnectionAction.bind(null, org, c.id)}
                />
              </li>
            ))}
          </ul>
        )}
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm font-medium">Add an OIDC connection</summary>
          <div className="mt-3">
            <ConnectionForm action={createOidcConnectionAction.bind(null, org)} choices={choices} />
          </div>
        </details>
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm font-medium">Add a SAML connection</summary>
          <div className="mt-3">
            <SamlConnectionForm action={createSamlConnectionAction.bind(null, org)} choices={choices} />
          </div>
        </details>
      </section>
      <section aria-labelledby="sso-domains" className={card}>
        <h2 id="sso-domains" className="text-lg font-medium">
          Domains
        </h2>
        <p className="text-sm text-slate-600">An organization owns the accounts at the domains it verifies, and people at a verified domain are sent to its connection when they sign in. Verify by publishing the TXT record shown; an operator can verify without DNS from the command line.</p>
        {settings.domains.length === 0 ? (
          <p className="text-sm text-slate-600">No domains claimed yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {settings.domains.map((d) => (
              <li key={d.id} className="space-y-1 py-3">
                <p className="font-medium">
                  {d.domain} <span className={d.verified ? "text-emerald-700" : "text-amber-700"}>{d.verified ? `verified (${d.verifiedBy === "operator" ? "by the operator" : "DNS"})` : "not verified"}</span>
                </p>
                <p className="text-slate-600">Connection: {nameOf(d.connectionId)}</p>
                {d.verified ? null : (
                  <p className="text-slate-600">
                    TXT record: <code className="break-all">{d.txtRecord.name}</code> = <code className="break-all">{d.txtRecord.value}</code>
                  </p>
                )}
                <div className="flex flex-wrap gap-2">
                  {d.verified ? null : <ConfirmActionButton action={verifyDomainAction.bind(null, org, d.id)} label="Check DNS" pendingLabel="Checking…" done="Verified." />}
                  <ConfirmActionButton action={removeDomainAction.bind(null, org, d.id)} label="Remove" question={d.verified ? `Remove ${d.domain}? If it is the last verified claim, the organization stops owning its accounts.` : `Remove ${d.domain}?`} confirmLabel="Yes, remove" pendingLabel="Removing…" />
                </div>
              </li>
            ))}
          </ul>
        )}
        <DomainForm action={addDomainAction.bind(null, org)} connections={choices.connections} />
      </section>
      <section aria-labelledby="sso-mappings" className={card}>
        <h2 id="sso-mappings" className="text-lg font-medium">
          Mapping rules
        </h2>
        <p className="text-sm text-slate-600">Rules turn IdP groups or claims into roles at branches, re-applied at every sign-in: grants a rule gave are added and removed; grants given by hand are never touched.</p>
        {settings.mappings.length === 0 ? (
          <p className="text-sm text-slate-600">No rules: nobody signing in through SSO gets a role unless a connection names a default.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {settings.mappings.map((m) => (
              <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {nameOf(m.connectionId)}: {m.claim} = <code className="break-all">{m.value}</code> → {m.role}
                  {m.branch ? ` at ${m.branch}` : " for the whole organization"}
                </span>
                <ConfirmActionButton action={removeMappingAction.bind(null, org, m.id)} label="Remove rule" question="Remove this rule? The grants it gave go at each person's next sign-in." confirmLabel="Yes, remove" pendingLabel="Removing…" />
              </li>
            ))}
          </ul>
        )}
        {settings.connections.length === 0 ? (
          <p className="text-sm text-slate-600">Add a connection first; rules belong to one.</p>
        ) : (
          <>
            <MappingForm action={addMappingAction.bind(null, org)} choices={choices} />
            <h3 id="sso-dry-run" className="pt-2 text-base font-medium">
              Dry run
            </h3>
            <DryRunForm action={`${here}#sso-dry-run`} connections={choices.connections} query={dryRunQuery} result={dryRun} />
          </>
        )}
      </section>
      {settings.connections.length > 0 ? (
        <section aria-labelledby="sso-link-member" className={card}>
          <h2 id="sso-link-member" className="text-lg font-medium">
            Link a member to an identity
          </h2>
          <p className="text-sm text-slate-600">
            SSO never links an existing account by its email. To let a member whose account is at one of your verified domains sign in through a connection, give the
            identity&apos;s subject as the IdP sends it (OIDC <code>sub</code>, Entra <code>tid:oid</code>, SAML NameID). Members can also link their own account from their
            Security page, with their password and second factor.
          </p>
          <LinkMemberForm action={linkIdentityAction.bind(null, org)} connections={choices.connections} />
        </section>
      ) : null}
      <section aria-labelledby="sso-policy" className={card}>
        <h2 id="sso-policy" className="text-lg font-medium">
          Require single sign-on
        </h2>
        <p className="text-sm text-slate-600">Refuses password sign-in for the accounts at your verified domains, except the break-glass members named here (their sign-ins are audited loudly). Name at least one before turning it on.</p>
        <PolicyForm action={setSsoPolicyAction.bind(null, org)} requireSso={policy.requireSso} breakGlass={policy.breakGlass} />
      </section>
    </div>
  );
}
