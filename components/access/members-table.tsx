import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export interface MemberRow {
  membershipId: string;
  email: string;
  name: string;
  status: string;
}

const statusTone: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  invited: "bg-amber-100 text-amber-800",
  deactivated: "bg-slate-200 text-slate-600",
};

export function MembersTable({ orgSlug, rows, searched }: { orgSlug: string; rows: MemberRow[]; searched: boolean }) {
  if (rows.length === 0) {
    return <EmptyState title={searched ? "No members match that email" : "No members you can see"}>{searched ? "Try a shorter prefix, or clear the search." : "Members with a grant in the part of the tree you can read appear here."}</EmptyState>;
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Email
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((m) => (
            <tr key={m.membershipId} className="hover:bg-slate-50">
              <td className="px-3 py-2">
                <Link href={`/orgs/${orgSlug}/users/${m.membershipId}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                  {m.email}
                </Link>
              </td>
              <td className="px-3 py-2">{m.name}</td>
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
