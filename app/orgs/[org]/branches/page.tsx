import type { Metadata } from "next";
import { can } from "@/lib/access/access";
import { branchViewScope } from "@/lib/branches/list-branch-tree";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { requirePrincipal } from "../../../load-viewer";
import { createBranchAction } from "./actions";
import { BranchLevel } from "./branch-level";
import { BranchNameForm } from "./branch-name-form";
import { ManagePanel } from "./manage-panel";
import { parseTreeState, treeHref } from "./tree-url";

export const metadata: Metadata = { title: "Branches" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function BranchesPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const scope = branchViewScope(principal.access);
  if (scope.kind === "none") {
    return (
      <PermissionNeeded title="Branches">
        <p className="font-medium">Viewing the branch tree needs orders:read or branches:manage.</p>
        <p className="mt-1">Ask an administrator of this organization for a role that includes one of them.</p>
      </PermissionNeeded>
    );
  }
  const state = parseTreeState(await searchParams);
  const base = `/orgs/${org}/branches`;
  const atRoot = can(principal.access, "branches:manage", "");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Branches</h1>
      <p className="text-sm text-slate-600">
        {scope.kind === "all" ? "The whole branch tree." : "The parts of the tree your roles cover."} Open a branch to see its children; a grant at a branch covers everything under it.
      </p>
      {atRoot ? (
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <BranchNameForm action={createBranchAction.bind(null, org, null)} label="New top-level branch" submitLabel="Add branch" doneMessage="Branch added." resetOnSuccess revealHref={treeHref(base, { ...state, page: null })} />
        </div>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div role="region" aria-label="Branch tree" className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
          <BranchLevel principal={principal} parentId={null} parentName="the top" state={state} base={base} />
        </div>
        {state.manage ? <ManagePanel principal={principal} org={org} branchId={state.manage} closeHref={treeHref(base, { ...state, manage: null })} revealHref={treeHref(base, { ...state, open: state.open.includes(state.manage) ? state.open : [...state.open, state.manage], page: null })} /> : null}
      </div>
    </div>
  );
}
