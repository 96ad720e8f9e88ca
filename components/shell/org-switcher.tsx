"use client";

import { useRouter } from "next/navigation";

/** Switching org is navigation: the org lives in the URL, so tabs and links keep their org. */
export function OrgSwitcher({ current, orgs }: { current: string; orgs: Array<{ slug: string; name: string }> }) {
  const router = useRouter();
  if (orgs.length <= 1) return <span className="text-sm font-medium text-slate-800">{orgs[0]?.name}</span>;
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="sr-only">Organization</span>
      <select value={current} onChange={(e) => router.push(`/orgs/${e.target.value}`)} className="rounded-md border border-slate-300 bg-white px-2 py-1">
        {orgs.map((o) => (
          <option key={o.slug} value={o.slug}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
