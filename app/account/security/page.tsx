import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { listOwnSessions } from "@/lib/identity/list-own-sessions";
import { listPasskeys } from "@/lib/mfa/list-passkeys";
import { hasSecondFactor, isMfaRequired, listMfaFactors } from "@/lib/identity/mfa-policy";
import { listOwnSsoLinks } from "@/lib/sso/list-own-links";
import { describeMfaRequirement, readMfaRequirement } from "@/lib/identity/mfa-requirement";
import type { Principal } from "@/lib/core/context";
import { listMyOrganizations, loadSessionPrincipal, OrgSessionEndedError } from "@/lib/identity/load-member-principal";
import { OrgShell } from "../../org-shell";
import { accountPrincipal, requireViewer, type Viewer } from "../../load-viewer";
import { changePasswordAction, requestEmailChangeAction } from "./actions";
import { ChangeEmailForm } from "./change-email-form";
import { ChangePasswordForm } from "./change-password-form";
import { SessionsSection } from "./sessions-section";
import { SsoLinkSection } from "./sso-link-section";
import { TwoStepSection } from "./two-step-section";

export const metadata: Metadata = { title: "Security" };

/**
 * The person's own sign-in: sessions, second factors, SSO identities (in the org whose navigation
 * the page keeps) and password. Everything here is about the
 * person, not an org, so it reads with the account principal (no org) and only their own rows.
 */
export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ org?: string | string[]; "sso-link"?: string | string[] }> }) {
  const viewer = await requireViewer();
  const principal = accountPrincipal(viewer);
  const query = await searchParams;
  const wanted = query.org;
  const linkOutcome = typeof query["sso-link"] === "string" ? query["sso-link"] : undefined;
  const member = await loadShellPrincipal(viewer, typeof wanted === "string" ? wanted : undefined);
  const backHref = member ? `/orgs/${member.org!.slug}` : "/";
  const [{ sessions, passkeys, factors }, required] = await Promise.all([
    readAs(principal, async (tx) => ({
      sessions: await listOwnSessions(tx, viewer.userId),
      passkeys: await listPasskeys(tx, viewer.userId),
      factors: await listMfaFactors(tx, viewer.userId),
    })),
    isMfaRequired(viewer.userId),
  ]);
  // SSO identities are the org's rows: read as the membership the page's navigation keeps.
  const ssoLinks = member ? await readAs(member, (tx) => listOwnSsoLinks(tx, member)) : null;
  // Says whose rule it is (the org's policy, or a role), so the notice is true.
  const requiredBy = required ? describeMfaRequirement(await readMfaRequirement(viewer.userId)) : null;
  const content = (
    <div className="mx-auto max-w-4xl space-y-6">
        <div>
          <Link href={backHref} className="text-sm text-brand-700 underline-offset-2 hover:underline">
            ← Back to your organization
          </Link>
          <h1 className="mt-2 text-2xl font-semibold">Security</h1>
          <p className="text-sm text-slate-600">How you sign in, and where you are signed in. Every change here is recorded in the audit trail.</p>
        </div>
        <SessionsSection sessions={sessions} currentSessionId={viewer.sessionId} now={new Date()} />
        <TwoStepSection factors={factors} passkeys={passkeys} required={required} requiredBy={requiredBy} />
        {member && ssoLinks ? <SsoLinkSection org={member.org!.slug} orgName={member.org!.name} links={ssoLinks} outcome={linkOutcome} hasSecondFactor={hasSecondFactor(factors)} /> : null}
        <section aria-labelledby="email-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="email-heading" className="text-lg font-medium">
            Email
          </h2>
          <ChangeEmailForm action={requestEmailChangeAction} currentEmail={viewer.email} />
        </section>
        <section aria-labelledby="password-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="password-heading" className="text-lg font-medium">
            Password
          </h2>
          <ChangePasswordForm action={changePasswordAction} />
        </section>
    </div>
  );
  if (member) return <OrgShell principal={member} viewer={viewer}>{content}</OrgShell>;
  // Not a member of any org (yet): no sections to show, only the way back and who is signed in.
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href="/" className="font-semibold text-brand-700">
            Countersign
          </Link>
          <span className="ml-auto min-w-0 truncate text-sm text-slate-600" data-testid="viewer-email">
            {viewer.email}
          </span>
        </div>
      </header>
      <main id="main" className="px-4 py-6">
        {content}
      </main>
    </div>
  );
}

/**
 * The org whose navigation the page keeps: the one the person came from (?org=, when they are an
 * active member there), else their first. Read without requirePrincipal's redirects, so this page
 * stays reachable whatever an org asks of the session; the sections each check again.
 */
async function loadShellPrincipal(viewer: Viewer, wanted: string | undefined): Promise<Principal | null> {
  const orgs = await listMyOrganizations(viewer.userId);
  const slug = orgs.find((o) => o.slug === wanted)?.slug ?? orgs[0]?.slug;
  if (!slug) return null;
  return loadSessionPrincipal(viewer, slug).catch((error: unknown) => {
    if (error instanceof OrgSessionEndedError) return null;
    throw error;
  });
}
