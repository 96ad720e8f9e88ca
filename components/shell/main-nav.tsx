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

/** `showSettings`: the viewer holds org:manage at the org root (the page answers 404 otherwise). */
export function MainNav({ orgSlug, showSettings = false }: { orgSlug: string; showSettings?: boolean }) {
  const pathname = usePathname();
  const base = `/orgs/${orgSlug}`;
  const shown = showSettings ? [...sections, { href: "/settings", label: "Settings" }] : sections;
  return (
    <nav aria-label="Main" className="mx-auto max-w-7xl px-4">
      <ul className="flex gap-1 overflow-x-auto">
        {shown.map((s) => {
          const href = base + s.href;
          const active = s.href === "" ? pathname === base : pathname.startsWith(href);
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
