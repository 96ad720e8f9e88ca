import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { holdsAnywhere } from "@/lib/access/access";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { requirePrincipal } from "../../../../load-viewer";
import { createMemberAction } from "../actions";
import { loadGrantChoices } from "../grant-choices";
import { AddMemberForm } from "./add-member-form";

export const metadata: Metadata = { title: "Add member" };

export default async function AddMemberPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  if (!holdsAnywhere(principal.access, "users:manage")) {
    return (
      <PermissionNeeded title="Add member">
        <p className="font-medium">Adding members needs the users:manage permission.</p>
        <p className="mt-1">Ask an administrator or your regional manager.</p>
      </PermissionNeeded>
    );
  }
  const choices = await readAs(principal, (tx) => loadGrantChoices(tx, principal, null));
  const base = `/orgs/${org}/users`;
  return (
    <div className="space-y-4">
      <Link href={base} className="text-sm text-brand-700 underline">
        ← All members
      </Link>
      <h1 className="text-2xl font-semibold">Add member</h1>
      <p className="max-w-xl text-sm text-slate-600">
        The person gets one role at one branch; add more grants on their page afterwards. They will get an email invitation, and stay invited until they accept it.
      </p>
      <AddMemberForm action={createMemberAction.bind(null, org)} choices={choices} membersHref={base} />
    </div>
  );
}
