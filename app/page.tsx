import { redirect } from "next/navigation";
import { listMyOrganizations } from "@/lib/identity/load-member-principal";
import { requireViewer } from "./load-viewer";

export default async function Home() {
  const viewer = await requireViewer();
  const orgs = await listMyOrganizations(viewer.userId);
  if (orgs[0]) redirect(`/orgs/${orgs[0].slug}`);
  return (
    <main className="mx-auto max-w-lg p-10">
      <h1 className="text-xl font-semibold">No organization yet</h1>
      <p className="mt-2 text-slate-600">You are signed in as {viewer.email}, but you are not an active member of any organization yet. If you were invited, open the link in the invitation email to accept it; otherwise ask your administrator for an invitation.</p>
    </main>
  );
}
