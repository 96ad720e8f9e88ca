import Link from "next/link";
import { can } from "@/lib/access/access";
import { loadOrgSections } from "@/lib/accounts/org-sections";
import { readAs } from "@/lib/core/read-as";
import { listMyOrganizations } from "@/lib/identity/load-member-principal";
import { OrgSwitcher } from "@/components/shell/org-switcher";
import { MainNav } from "@/components/shell/main-nav";
import { Button } from "@/components/ui/button";
import { requirePrincipal, requireViewer } from "../../load-viewer";
import { signOutAction } from "../../sign-out-action";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const principal = await requirePrincipal(slug);
  const viewer = await requireViewer();
  const orgs = await listMyOrganizations(viewer.userId);
  const sections = await readAs(principal, (tx) => loadOrgSections(tx, principal));
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        {/* Wraps at phone widths (390 px) instead of pushing the page sideways. */}
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <Link href={`/orgs/${slug}`} className="font-semibold text-brand-700">
            Countersign
          </Link>
          <OrgSwitcher current={slug} orgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))} />
          <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
            <span className="text-slate-600" data-testid="viewer-email">
              {viewer.email}
            </span>
            <Link href="/account/security" className="text-brand-700 underline-offset-2 hover:underline">
              Security
            </Link>
            <form action={signOutAction}>
              <Button type="submit" variant="secondary">
                Sign out
              </Button>
            </form>
          </div>
        </div>
        <MainNav orgSlug={slug} showSettings={can(principal.access, "org:manage", "")} {...sections} />
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <p className="sr-only">Signed in to {principal.org?.name}</p>
        {children}
      </main>
    </div>
  );
}
