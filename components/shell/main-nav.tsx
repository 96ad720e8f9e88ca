"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const sections = [
  { href: "", label: "Overview" },
  { href: "/orders", label: "Orders" },
  { href: "/users", label: "Users" },
  { href: "/roles", label: "Roles" },
  { href: "/branches", label: "Branches" },
  { href: "/access", label: "Access" },
  { href: "/audit", label: "Audit" },
];

/** Sections that depend on the kind of organization and on what the viewer may do there. */
export interface NavOptions {
  /** org:manage at the org root (the page answers 404 otherwise). */
  showSettings?: boolean;
  /** A customer's member who may order or read orders, or supplier staff who may see it. */
  showCatalog?: boolean;
  /** Supplier staff with accounts:read, or orders:read across accounts. */
  showAccounts?: boolean;
  showAccountOrders?: boolean;
  /** The supplier's own organization places no orders: its order list is the one across accounts. */
  isSupplier?: boolean;
}

export function MainNav({ orgSlug, showSettings = false, showCatalog = false, showAccounts = false, showAccountOrders = false, isSupplier = false }: { orgSlug: string } & NavOptions) {
  const pathname = usePathname();
  const base = `/orgs/${orgSlug}`;
  const shown = [
    sections[0]!,
    ...(isSupplier ? [] : [sections[1]!]),
    ...(showAccounts ? [{ href: "/accounts", label: "Accounts" }] : []),
    ...(showAccountOrders ? [{ href: "/account-orders", label: "Account orders" }] : []),
    ...(showCatalog ? [{ href: "/catalog", label: "Catalog" }] : []),
    ...sections.slice(2),
    ...(showSettings ? [{ href: "/settings", label: "Settings" }] : []),
  ];
  return (
    <nav aria-label="Main" className="mx-auto max-w-7xl px-4">
      <ul className="flex gap-1 overflow-x-auto">
        {shown.map((s) => {
          const href = base + s.href;
          const active = s.href === "" ? pathname === base : pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={s.label}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={`inline-block border-b-2 px-3 py-2 text-sm ${active ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
              >
                {s.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
