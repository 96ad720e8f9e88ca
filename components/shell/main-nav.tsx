"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavSection } from "@/lib/shell/nav-sections";

/**
 * The org's sections: a row of tabs that wraps from 640 px up, and a disclosure menu below that,
 * so no section hides behind a sideways scroll on a phone. The menu also holds `account` (the
 * viewer's email, Security and Sign out), which the header shows only on wider screens. It is a
 * native <details>: keyboard and screen readers get a button with an expanded state for free,
 * and it works before the page's script has loaded. Keyed by path, so it closes on navigation.
 */
export function MainNav({ orgSlug, sections, account }: { orgSlug: string; sections: readonly NavSection[]; account?: React.ReactNode }) {
  const pathname = usePathname();
  const base = `/orgs/${orgSlug}`;
  const items = sections.map((s) => {
    const href = base + s.href;
    const active = s.href === "" ? pathname === base : pathname === href || pathname.startsWith(`${href}/`);
    return { ...s, href: base + s.href, active };
  });
  const current = items.find((i) => i.active);
  return (
    <nav aria-label="Main" className="mx-auto max-w-7xl px-4">
      <ul className="hidden flex-wrap gap-x-1 sm:flex">
        {items.map((s) => (
          <li key={s.label}>
            <Link
              href={s.href}
              aria-current={s.active ? "page" : undefined}
              className={`inline-block border-b-2 px-3 py-2 text-sm ${s.active ? "border-brand-600 font-medium text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
            >
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
      <details key={pathname} className="pb-3 sm:hidden">
        <summary className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800">
          Menu{current ? <span className="font-normal text-slate-600">· {current.label}</span> : null}
        </summary>
        <ul className="mt-2 grid gap-1">
          {items.map((s) => (
            <li key={s.label}>
              <Link
                href={s.href}
                aria-current={s.active ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm ${s.active ? "bg-brand-50 font-medium text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
        {account ? <div className="mt-3 border-t border-slate-200 pt-3">{account}</div> : null}
      </details>
    </nav>
  );
}
