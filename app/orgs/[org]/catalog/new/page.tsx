import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { requirePrincipal } from "../../../../load-viewer";
import { createProductAction } from "../actions";
import { readCatalogPage } from "../load-catalog-page";
import { ProductForm } from "../product-form";

export const metadata: Metadata = { title: "New product" };

export default async function NewProductPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const read = await readCatalogPage(principal, async () => null);
  if (read.kind === "ok" && read.viewer.kind === "customer") notFound();
  if (read.kind !== "ok" || read.viewer.kind !== "supplier" || !read.viewer.canManage) {
    return (
      <PermissionNeeded title="New product">
        <p className="font-medium">Adding products needs catalog:manage in the supplier&apos;s organization.</p>
      </PermissionNeeded>
    );
  }
  return (
    <div className="space-y-4">
      <Link href={`/orgs/${org}/catalog`} className="text-sm text-brand-700 underline">
        ← Catalog
      </Link>
      <h1 className="text-2xl font-semibold">New product</h1>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <ProductForm action={createProductAction.bind(null, org)} submitLabel="Add product" />
      </div>
    </div>
  );
}
