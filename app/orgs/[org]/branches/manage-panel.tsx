import Link from "next/link";
import { readAs } from "@/lib/core/read-as";
import { can } from "@/lib/access/access";
import { checkBranchMove } from "@/lib/access/delegation";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { findVisibleBranch } from "@/lib/branches/list-branch-tree";
import type { Principal } from "@/lib/core/context";
import { createBranchAction, deleteBranchAction, moveBranchAction, renameBranchAction } from "./actions";
import { DeleteBranchButton } from "./delete-branch-button";
import { AddressesSection } from "./addresses-section";
import { BranchNameForm } from "./branch-name-form";
import { MoveBranchForm } from "./move-branch-form";

const TARGET_CAP = 500;

/** Rename, add a child and move, for one branch the viewer may manage. */
export async function ManagePanel({ principal, org, branchId, closeHref, revealHref }: { principal: Principal; org: string; branchId: string; closeHref: string; revealHref: string }) {
  const branch = await readAs(principal, (db) => findVisibleBranch(db, principal, branchId));
  if (!branch) return null;
  const heading = (
    <div className="flex items-baseline justify-between gap-2">
      <h2 id="manage-heading" className="text-lg font-medium">
        {branch.canManage ? "Manage" : "Addresses of"} {branch.name}
      </h2>
      <Link href={closeHref} scroll={false} className="text-sm text-slate-600 underline">
        Close
      </Link>
    </div>
  );
  if (!branch.canManage) {
    return (
      <section id="manage" aria-labelledby="manage-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        {heading}
        <p className="text-sm text-slate-600">Changing this branch needs branches:manage at it.</p>
        <AddressesSection principal={principal} org={org} branchId={branch.id} canManage={false} />
      </section>
    );
  }
  const options = await readAs(principal, (db) => listBranchOptions(db, principal, "branches:manage", TARGET_CAP));
  // Never under itself or its own descendants, nor where the viewer's own grants would give them
  // more over it than they hold now: the command refuses both too.
  const allowed = options.filter((o) => !o.path.startsWith(branch.path));
  const safe = allowed.filter((o) => checkBranchMove(principal.access, { branchPath: branch.path, newParentPath: o.path }).ok);
  const targets = [
    ...(can(principal.access, "branches:manage", "") ? [{ value: "", label: "Top of the tree", depth: 0 }] : []),
    ...safe.map((o) => ({ value: o.id, label: o.id === branch.parentId ? `${o.name} (current parent)` : o.name, depth: o.depth + 1 })),
  ];
  const where = branch.ancestors.length ? branch.ancestors.map((a) => a.name).join(" › ") : "Top of the tree";
  return (
    <section id="manage" aria-labelledby="manage-heading" className="space-y-5 rounded-lg border border-slate-200 bg-white p-4">
      {heading}
      <p className="text-sm text-slate-600">In: {where}</p>
      <BranchNameForm key={`rename-${branch.id}`} action={renameBranchAction.bind(null, org, branch.id)} label="Name" submitLabel="Rename" defaultName={branch.name} doneMessage="Branch renamed." />
      <BranchNameForm key={`child-${branch.id}`} action={createBranchAction.bind(null, org, branch.id)} label={`New branch under ${branch.name}`} submitLabel="Add branch" doneMessage="Branch added." resetOnSuccess revealHref={revealHref} />
      <MoveBranchForm key={`move-${branch.id}`} action={moveBranchAction.bind(null, org, branch.id)} branchName={branch.name} targets={targets} currentParent={branch.parentId ?? ""} />
      {safe.length < allowed.length ? (
        <p className="text-xs text-slate-500">Branches where your own grants would give you more over {branch.name} than you hold now are not offered: moving it there would widen your own access.</p>
      ) : null}
      {options.length >= TARGET_CAP ? <p className="text-xs text-slate-500">The list of new parents shows the first {TARGET_CAP} branches you manage.</p> : null}
      <AddressesSection principal={principal} org={org} branchId={branch.id} canManage />
      {can(principal.access, "branches:manage", parentPath(branch.path)) ? <DeleteBranchButton key={`delete-${branch.id}`} action={deleteBranchAction.bind(null, org, branch.id)} branchName={branch.name} doneHref={closeHref} /> : null}
    </section>
  );
}

/** "/a/b/" → "/a/"; a top-level branch's parent is the org level (""). Deleting needs branches:manage there. */
function parentPath(path: string): string {
  const cut = path.lastIndexOf("/", path.length - 2);
  return cut <= 0 ? "" : path.slice(0, cut + 1);
}
