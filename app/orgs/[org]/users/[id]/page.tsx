import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readAs } from "@/lib/core/read-as";
import { findLastSignIn } from "@/lib/audit/find-last-sign-in";
import { holdsAnywhere } from "@/lib/access/access";
import { listMemberGrants } from "@/lib/grants/list-member-grants";
import { getMember, getMemberRow } from "@/lib/identity/get-member";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { auditListQuerySchema } from "@/lib/audit/schemas";
import { scopeOf } from "@/lib/access/access";
import { loadMemberSecurity } from "@/lib/identity/member-security";
import { findScimLink } from "@/lib/scim/users/find-scim-link";
import { listMemberIdentities } from "@/lib/sso/list-member-identities";
import { GrantsTable } from "@/components/access/grants-table";
import { Notice } from "@/components/access/notice";
import { requirePrincipal } from "../../../../load-viewer";
import { addGrantAction, revokeGrantAction } from "../actions";
import { loadGrantChoices } from "../grant-choices";
import { CREATED_NOTICES } from "../member-created";
import { AddGrantForm } from "./add-grant-form";
import { RevokeGrantButton } from "./revoke-grant-button";
import { SecurityPanel } from "./security-panel";
import { SsoIdentitiesSection } from "./sso-identities-section";

export const metadata: Metadata = { title: "Member" };

export default async function MemberPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<{ notice?: string }> }) {
  const { org, id } = await params;
  const principal = await requirePrincipal(org);
  // Another org's member, or one outside the viewer's users:read subtree: a 404 either way.
  const member = (await readAs(principal, (db) => getMember(db, principal, id))) ?? notFound();
  const mayGrant = !member.isSelf && holdsAnywhere(principal.access, "users:manage");
  const mayManage = holdsAnywhere(principal.access, "users:manage");
  const readsAudit = scopeOf(principal.access, "audit:read").kind !== "none";
  const [{ grants, hiddenCount }, choices, security, row, timeline, lastSignIn, scim, identities] = await readAs(principal, (db) =>
    Promise.all([
      listMemberGrants(db, principal, member.membershipId),
      mayGrant ? loadGrantChoices(db, principal, member.membershipId) : null,
      mayManage ? loadMemberSecurity(db, principal, member.membershipId) : null,
      getMemberRow(db, principal, member.membershipId),
      // The member's own timeline: what was done to this membership, for those who may read the trail.
      readsAudit ? listAuditEvents(db, principal, auditListQuerySchema.parse({ target: member.membershipId, limit: 10 })) : null,
      // Where and when from the trail: for those who may read it (the directory row has the time only).
      readsAudit ? findLastSignIn(db, principal.org!.id, member.userId) : null,
      findScimLink(db, principal.org!.id, member.membershipId),
      listMemberIdentities(db, principal, member.userId),
    ]),
  );
  const noticeKey = (await searchParams).notice;
  const notice = typeof noticeKey === "string" && Object.hasOwn(CREATED_NOTICES, noticeKey) ? CREATED_NOTICES[noticeKey as keyof typeof CREATED_NOTICES] : null;
  const actions = Object.fromEntries(
    grants.filter((g) => g.canRevoke).map((g) => [g.id, <RevokeGrantButton key={g.id} action={revokeGrantAction.bind(null, org, g.id)} label={`Revoke ${g.roleName} at ${g.branchName}`} />]),
  );
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/orgs/${org}/users`} className="text-sm text-brand-700 underline">
          ← All members
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">{member.name}</h1>
        <p className="text-sm text-slate-600">
          {member.email} · <span className="capitalize">{member.status}</span>
          {member.status === "invited" ? " (has not accepted the invitation yet: cannot act here)" : ""}
        </p>
        {scim ? (
          <p className="text-sm text-slate-600" data-testid="scim-link">
            Provisioned by the identity provider over SCIM (user name {scim.userName}).
            {scim.ssoOnly ? " Signs in through the organization's single sign-on only: the directory gives no sign-in email of their own." : ""}
          </p>
        ) : null}
        {readsAudit ? (
        <p className="text-sm text-slate-600" data-testid="last-sign-in">
          {lastSignIn ? (
            <>
              Last signed in <time dateTime={lastSignIn.occurredAt}>{lastSignIn.occurredAt.replace("T", " ").slice(0, 16)} UTC</time>
              {lastSignIn.ip ? ` from ${lastSignIn.ip}` : ""}
            </>
          ) : (
            "No sign-in on record yet."
          )}{" "}
          <Link href={`/orgs/${org}/audit?actor=${encodeURIComponent(member.userId)}&action=auth.`} className="text-brand-700 underline">
            Sign-in history
          </Link>
        </p>
        ) : null}
      </div>
      {notice ? <Notice>{notice}</Notice> : null}
      {row ? (
        <dl className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-slate-500">Source</dt>
            <dd className="capitalize">{row.source === "import" ? "CSV import" : row.source}</dd>
          </div>
          <div>
            <dt className="text-slate-500">MFA</dt>
            <dd>{row.mfa === "on" ? "On" : row.mfa === "off" ? "Off" : "Shown once they join"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Last sign-in</dt>
            <dd>{row.lastSignInAt ? `${row.lastSignInAt.slice(0, 16).replace("T", " ")} UTC` : row.mfa === null ? "Shown once they join" : "Never"}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Member since</dt>
            <dd>{row.createdAt.slice(0, 10)}</dd>
          </div>
        </dl>
      ) : null}
      <section aria-labelledby="grants-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="grants-heading" className="text-lg font-medium">
            Grants
          </h2>
          <Link href={`/orgs/${org}/access?email=${encodeURIComponent(member.email)}`} className="text-sm text-brand-700 underline">
            Explain this member’s access
          </Link>
        </div>
        <GrantsTable rows={grants} actions={actions} />
        {hiddenCount > 0 ? <p className="text-sm text-slate-600">This member also holds {hiddenCount} grant(s) in parts of the tree you cannot read.</p> : null}
      </section>
      {security ? <SecurityPanel org={org} member={member} security={security} /> : null}
      {identities ? <SsoIdentitiesSection org={org} membershipId={member.membershipId} memberName={member.name} identities={identities} /> : null}
      {timeline ? (
        <section aria-labelledby="timeline-heading" className="space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="timeline-heading" className="text-lg font-medium">
              Audit timeline
            </h2>
            <Link href={`/orgs/${org}/audit?target=${member.membershipId}`} className="text-sm text-brand-700 underline">
              All events for this member
            </Link>
          </div>
          {timeline.data.length === 0 ? (
            <p className="text-sm text-slate-600">No events about this membership that you can read.</p>
          ) : (
            <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
              {timeline.data.map((e) => (
                <li key={e.id} className="flex flex-wrap justify-between gap-2 px-3 py-2">
                  <span className="font-mono text-xs">{e.action}</span>
                  <span className="text-slate-600">{`${e.actorLabel ?? e.actorType} · ${e.occurredAt.slice(0, 16).replace("T", " ")} UTC`}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
      <section aria-labelledby="add-grant-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="add-grant-heading" className="text-lg font-medium">
          Add a grant
        </h2>
        {member.isSelf ? (
          <p className="text-sm text-slate-600">You cannot change your own grants; ask another administrator.</p>
        ) : !choices ? (
          <p className="text-sm text-slate-600">Granting roles needs the users:manage permission.</p>
        ) : choices.branches.length === 0 ? (
          <p className="text-sm text-slate-600">There is no branch where you hold users:manage.</p>
        ) : (
          <>
            <p className="text-sm text-slate-600">
              You can grant a role only where you hold users:manage, and only if you hold every permission it carries there.
              {choices.branches.length >= choices.branchCap ? ` The branch list shows the first ${choices.branchCap} branches.` : ""}
            </p>
            <AddGrantForm action={addGrantAction.bind(null, org, member.membershipId)} membershipId={member.membershipId} choices={choices} />
          </>
        )}
      </section>
    </div>
  );
}
