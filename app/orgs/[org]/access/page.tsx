import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { can, holdsAnywhere } from "@/lib/access/access";
import { allPermissions, permissionCatalog } from "@/lib/access/permissions";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { ExplanationCard } from "@/components/access/explanation-card";
import { Button } from "@/components/ui/button";
import { requirePrincipal, requireViewer } from "../../../load-viewer";
import { runExplain } from "./run-explain";

export const metadata: Metadata = { title: "Access explorer" };

type SearchParams = Record<string, string | string[] | undefined>;
const BRANCH_CAP = 500;

export default async function AccessExplorerPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const [principal, viewer] = await Promise.all([requirePrincipal(org), requireViewer()]);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  const readsOthers = holdsAnywhere(principal.access, "users:read");
  // Offer the branches the viewer may ask about: where they read members, else where they read orders.
  const [outcome, branches] = await readAs(principal, (db) => Promise.all([runExplain(db, principal, raw), listBranchOptions(db, principal, readsOthers ? "users:read" : "orders:read", BRANCH_CAP)]));
  // Start on a branch the viewer may ask about; the whole organization only for org-wide readers.
  const defaultBranch = can(principal.access, "users:read", "") ? "" : (branches[0]?.id ?? "");
  const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Access explorer</h1>
      <p className="max-w-3xl text-sm text-slate-600">
        Ask whether a member may use a permission on a branch or an order, and see the grant and role chain that decide it. Anyone may explain their own access. Explaining someone else&apos;s needs
        users:read covering both that member and the target; users:read across the whole organization (Admin, Auditor) is the simplest way to have it.
      </p>
      <form method="get" action={`/orgs/${org}/access`} aria-label="Explain access" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
        {/* Labels point at their controls by id: a wrapping label would read out every option. */}
        <div className="text-sm text-slate-700">
          <label htmlFor="explain-email">Member email</label>
          <input id="explain-email" name="email" type="email" required defaultValue={raw.email ?? viewer.email ?? ""} className={input} />
        </div>
        <div className="text-sm text-slate-700">
          <label htmlFor="explain-permission">Permission</label>
          <select id="explain-permission" name="permission" required defaultValue={raw.permission ?? "orders:read"} className={input}>
            {allPermissions.map((p) => (
              <option key={p} value={p}>
                {p} ({permissionCatalog[p].description})
              </option>
            ))}
          </select>
        </div>
        <div className="text-sm text-slate-700">
          <label htmlFor="explain-branch">Branch</label>
          <select id="explain-branch" name="branch" defaultValue={raw.branch ?? defaultBranch} className={input}>
            <option value="">Whole organization</option>
            {branches.map((b) => (
              <option key={b.id} value={b.id}>
                {"\u00a0\u00a0".repeat(b.depth + 1) + b.name}
              </option>
            ))}
          </select>
        </div>
        <div className="text-sm text-slate-700">
          <label htmlFor="explain-order">Or an order id</label>
          <input id="explain-order" name="order" defaultValue={raw.order ?? ""} maxLength={36} placeholder="from the order's address" className={input} />
        </div>
        <div className="flex items-center gap-3 sm:col-span-2 lg:col-span-4">
          <Button type="submit">Explain</Button>
          {branches.length >= BRANCH_CAP ? <span className="text-xs text-slate-500">The branch list shows the first {BRANCH_CAP} branches.</span> : null}
        </div>
      </form>
      {outcome.kind === "problem" ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {outcome.messages.join(" ")}
        </div>
      ) : null}
      {outcome.kind === "result" ? <ExplanationCard memberEmail={outcome.result.member.email} targetName={outcome.result.target.name} explanation={outcome.result.explanation} /> : null}
    </div>
  );
}
