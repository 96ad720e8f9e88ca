import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NotBuilt } from "@/components/shell/not-built";
import { requirePrincipal } from "../../../load-viewer";

// Sections in the navigation whose pages arrive with later issues; each says so plainly.
// Users, roles and branches have their own pages now; none is pending at the moment.
const upcoming: Record<string, { title: string; comesWith: string }> = {};

type Props = { params: Promise<{ org: string; section: string }> };

// Own keys only: /orgs/acme/constructor must not find Object's constructor.
const upcomingPage = (section: string) => (Object.hasOwn(upcoming, section) ? upcoming[section] : undefined);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: upcomingPage((await params).section)?.title ?? "Not found" };
}

export default async function UpcomingSectionPage({ params }: Props) {
  const { org, section } = await params;
  await requirePrincipal(org);
  const page = upcomingPage(section);
  if (!page) notFound();
  return <NotBuilt title={page.title} comesWith={page.comesWith} />;
}
