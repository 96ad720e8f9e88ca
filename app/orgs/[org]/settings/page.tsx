import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/access/access";
import { adminClassPermissions } from "@/lib/access/admin-class";
import { readAs } from "@/lib/core/read-as";
import { getMfaPolicy } from "@/lib/orgs/get-mfa-policy";
import { requirePrincipal } from "../../../load-viewer";
import { setMfaPolicyAction } from "./actions";
import { MfaPolicyForm } from "./mfa-policy-form";

export const metadata: Metadata = { title: "Settings" };

/**
 * Organization settings, for members holding org:manage at the org root (the setting is
 * org-wide). Anyone else gets the same 404 as a page that does not exist.
 */
export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  if (!can(principal.access, "org:manage", "")) notFound();
  const policy = (await readAs(principal, (tx) => getMfaPolicy(tx, principal))) ?? notFound();
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <section aria-labelledby="mfa-policy-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="mfa-policy-heading" className="text-lg font-medium">
          Two-step verification
        </h2>
        <div id="mfa-policy-help" className="space-y-2 text-sm text-slate-600">
          <p>
            Members who hold an admin-class permission ({adminClassPermissions.join(", ")}) always need two-step verification, whatever this setting says. Turn it on to require it of every member of{" "}
            {principal.org?.name}.
          </p>
          <p>Members who have not set it up are asked to when they next sign in, before they can do anything else. Changing this asks you to confirm it is you with your second factor.</p>
        </div>
        <MfaPolicyForm action={setMfaPolicyAction.bind(null, org)} requireMfa={policy.requireMfa} />
      </section>
      {can(principal.access, "sso:manage", "") ? (
        <p className="text-sm">
          <Link href={`/orgs/${org}/settings/sso`} className="text-brand-700 underline">
            Single sign-on: connections, domains and mapping rules
          </Link>
        </p>
      ) : null}
    </div>
  );
}
