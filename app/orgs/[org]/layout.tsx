import { OrgShell } from "../../org-shell";
import { requirePrincipal, requireViewer } from "../../load-viewer";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const principal = await requirePrincipal(slug);
  const viewer = await requireViewer();
  return (
    <OrgShell principal={principal} viewer={viewer}>
      <p className="sr-only">Signed in to {principal.org?.name}</p>
      {children}
    </OrgShell>
  );
}
