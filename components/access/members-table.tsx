import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export interface MemberRow {
  membershipId: string;
  email: string;
  name: string;
  status: string;
  source?: string;
  grants?: Array<{ grantId: string; role: string; branch: string }>;
  mfa?: "on" | "off" | null;
  lastSignInAt?: string | null;
}

const statusTone: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  invited: "bg-amber-100 text-amber-800",
  deactivated: "bg-slate-200 text-slate-600",
};

const SOURCE_LABELS: Record<string, string> = { manual: "Manual", invitation: "Invitation", import: "CSV import", scim: "SCIM", sso: "SSO" };

function formatInstant(iso: string): string {
  return new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/**
 * The Users page's table. With `selectForm`, each row has a checkbox that belongs to that form
 * (the bulk actions) through the `form` attribute, so the table stays server-rendered.
 */
export function MembersTable({ orgSlug, rows, searched, selectForm }: { orgSlug: string; rows: MemberRow[]; searched: boolean; selectForm?: string }) {
  if (rows.length === 0) {
    return <EmptyState title={searched ? "No members match" : "No members you can see"}>{searched ? "Try fewer letters, or clear the search and filters." : "Members with a grant in the part of the tree you can read appear here."}</EmptyState>;
  }
  const th = "px-3 py-2 font-medium";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {selectForm ? (
              <th scope="col" className={th}>
                <span className="sr-only">Select</span>
              </th>
            ) : null}
            <th scope="col" className={th}>
              Member
            </th>
            <th scope="col" className={th}>
              Roles at branches
            </th>
            <th scope="col" className={th}>
              MFA
            </th>
            <th scope="col" className={th}>
              Last sign-in
            </th>
            <th scope="col" className={th}>
              Source
            </th>
            <th scope="col" className={th}>
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((m) => (
            <tr key={m.membershipId} className="align-top hover:bg-slate-50">
              {selectForm ? (
                <td className="px-3 py-2">
                  <input type="checkbox" name="ids" value={m.membershipId} form={selectForm} aria-label={`Select ${m.email}`} className="h-4 w-4" />
                </td>
              ) : null}
              <td className="px-3 py-2">
                <Link href={`/orgs/${orgSlug}/users/${m.membershipId}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                  {m.email}
                </Link>
                <div className="text-slate-600">{m.name}</div>
              </td>
              <td className="px-3 py-2">{m.grants?.length ? m.grants.map((g) => <div key={g.grantId}>{`${g.role} at ${g.branch}`}</div>) : <span className="text-slate-500">No roles</span>}</td>
              <td className="px-3 py-2">{m.mfa === "on" ? "On" : m.mfa === "off" ? "Off" : <span className="text-slate-500" title="Shown once they join">—</span>}</td>
              <td className="whitespace-nowrap px-3 py-2">{m.lastSignInAt ? formatInstant(m.lastSignInAt) : <span className="text-slate-500">Never</span>}</td>
              <td className="px-3 py-2">{SOURCE_LABELS[m.source ?? ""] ?? m.source ?? ""}</td>
              <td className="px-3 py-2">
                <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium capitalize ${statusTone[m.status] ?? statusTone.active}`}>{m.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
