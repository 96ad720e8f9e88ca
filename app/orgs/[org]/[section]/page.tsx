import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NotBuilt } from "@/components/shell/not-built";
import { requirePrincipal } from "../../../load-viewer";

// Sections in the navigation whose pages arrive with later issues; each says so plainly.
const upcoming: Record<string, { title: string; comesWith: string }> = {
  users: { title: "Users", comesWith: "member management (invitations, grants)" },
  roles: { title: "Roles", comesWith: "the access model (custom roles with inheritance)" },
  branches: { title: "Branches", comesWith: "the access model (branch tree editing)" },
  audit: { title: "Audit", comesWith: "the audit trail (search, verification, export)" },
};

type Props = { params: Promise<{ org: string; section: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: upcoming[(await params).section]?.title ?? "Not found" };
}

export default async function UpcomingSectionPage({ params }: Props) {
  const { org, section } = await params;
  await requirePrincipal(org);
  const page = upcoming[section];
  if (!page) notFound();
  return <NotBuilt title={page.title} comesWith={page.comesWith} />;
}
