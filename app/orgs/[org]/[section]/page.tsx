import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NotBuilt } from "@/components/shell/not-built";
import { requirePrincipal } from "../../../load-viewer";

// Sections in the navigation whose pages arrive with later issues; each says so plainly.
// Users, roles and branches have their own pages now; none is pending at the moment.
const upcoming: Record<string, { title: string; comesWith: string }> = {};

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
