import Link from "next/link";
import { readAs } from "@/lib/core/read-as";
import type { Principal } from "@/lib/core/context";
import { listMyOrganizations } from "@/lib/identity/load-member-principal";
import { loadNavSections } from "@/lib/shell/nav-sections";
import { AccountLinks } from "@/components/shell/account-links";
import { MainNav } from "@/components/shell/main-nav";
import { OrgSwitcher } from "@/components/shell/org-switcher";
import type { Viewer } from "./load-viewer";
import { signOutAction } from "./sign-out-action";

/**
 * The header every signed-in page under an org shares (and the Security page, for the org the
 * person came from): brand, org switcher, the sections this member can use, and their own links.
 * Below 640 px the sections and the account links fold into one menu, so nothing runs off-screen.
 */
export async function OrgShell({ principal, viewer, children }: { principal: Principal; viewer: Viewer; children: React.ReactNode }) {
  const slug = principal.org!.slug;
  const [orgs, sections] = await Promise.all([listMyOrganizations(viewer.userId), readAs(principal, (tx) => loadNavSections(tx, principal))]);
  const securityHref = `/account/security?org=${encodeURIComponent(slug)}`;
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href={`/orgs/${slug}`} className="font-semibold text-brand-700">
            Countersign
          </Link>
          <OrgSwitcher current={slug} orgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))} />
          <div className="ml-auto hidden min-w-0 sm:block">
            <AccountLinks email={viewer.email} securityHref={securityHref} signOut={signOutAction} testId="viewer-email" />
          </div>
        </div>
        <MainNav orgSlug={slug} sections={sections} account={<AccountLinks email={viewer.email} securityHref={securityHref} signOut={signOutAction} />} />
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
