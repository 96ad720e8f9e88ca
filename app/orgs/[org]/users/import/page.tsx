import Link from "next/link";
import type { Metadata } from "next";
import { holdsAnywhere } from "@/lib/access/access";
import { MAX_MEMBER_IMPORT_BYTES } from "@/lib/identity/import/parse-member-csv";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { UploadForm } from "@/components/ui/csv-upload-form";
import { requirePrincipal } from "../../../../load-viewer";

export const metadata: Metadata = { title: "Import members" };

export default async function MemberImportPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  if (!holdsAnywhere(principal.access, "users:manage")) {
    return (
      <PermissionNeeded title="Import members">
        <p className="font-medium">Importing members needs the users:manage permission.</p>
      </PermissionNeeded>
    );
  }
  const base = `/orgs/${org}/users/import`;
  return (
    <div className="space-y-6">
      <Link href={`/orgs/${org}/users`} className="text-sm text-brand-700 underline">
        ← Users
      </Link>
      <h1 className="text-2xl font-semibold">Import members</h1>
      <div className="max-w-3xl space-y-2 text-sm text-slate-700">
        <p>Upload a CSV file to see what it would do: every row is checked first, and nobody is invited until you apply it.</p>
        <ul className="list-disc pl-5">
          <li>Each valid row invites its person with its role at its branch, as “Add member” does; they join by accepting the mailed link.</li>
          <li>Someone who is already a member is skipped, so applying the same file again invites nobody twice.</li>
          <li>A row you may not add (a role you cannot hand out there) is reported with the reason; the others go on.</li>
        </ul>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <UploadForm uploadUrl={`${base}/upload`} previewBase={base} maxBytes={MAX_MEMBER_IMPORT_BYTES} inputId="members-file" hint="UTF-8, with a header row: email and any of name, role (default Buyer), branch (a name or id; empty: the whole organization). Up to 200,000 rows." />
      </div>
    </div>
  );
}
