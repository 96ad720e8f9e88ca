import Link from "next/link";
import { readAs } from "@/lib/core/read-as";
import { listBranchChildren, type BranchChildrenPage } from "@/lib/branches/list-branch-tree";
import type { Principal } from "@/lib/core/context";
import { ValidationError } from "@/lib/core/errors";
import { BranchTreeRow } from "@/components/access/branch-tree-row";
import { EmptyState } from "@/components/ui/empty-state";
import { toggleOpen, treeHref, type TreeState } from "./tree-url";

/** Children shown per node before "more": enough to scan, small enough for a 10,000-branch org. */
export const CHILDREN_PER_PAGE = 50;

interface Props {
  principal: Principal;
  parentId: string | null;
  parentName: string;
  state: TreeState;
  base: string;
}

/** One level of the tree, read on the server; open children recurse, closed ones cost nothing. */
export async function BranchLevel({ principal, parentId, parentName, state, base }: Props) {
  const key = parentId ?? "top";
  const cursor = state.page?.node === key ? state.page.cursor : undefined;
  let page: BranchChildrenPage;
  try {
    page = await readAs(principal, (tx) => listBranchChildren(tx, principal, { parentId, cursor, limit: CHILDREN_PER_PAGE }));
  } catch (error) {
    // A hand-edited cursor falls back to the first page instead of failing the whole tree.
    if (!(error instanceof ValidationError)) throw error;
    page = await readAs(principal, (tx) => listBranchChildren(tx, principal, { parentId, limit: CHILDREN_PER_PAGE }));
  }
  if (!parentId && !cursor && page.nodes.length === 0) return <EmptyState title="No branches yet">Branches you add appear here.</EmptyState>;
  const link = "text-xs text-brand-700 underline";
  return (
    <ul className={parentId ? "ml-4 border-l border-slate-200 pl-3" : ""}>
      {page.nodes.map((node) => {
        const open = state.open.includes(node.id);
        return (
          <li key={node.id} id={`branch-${node.id}`} className="scroll-mt-4 rounded target:bg-brand-50">
            <BranchTreeRow
              name={node.name}
              hasChildren={node.hasChildren}
              open={open}
              selected={state.manage === node.id}
              toggleHref={treeHref(base, toggleOpen(state, node.id))}
              manageHref={node.canManage || node.canOrder ? treeHref(base, { ...state, manage: node.id }, "#manage") : undefined}
              manageLabel={node.canManage ? "Manage" : "Addresses"}
            />
            {open && node.hasChildren ? <BranchLevel principal={principal} parentId={node.id} parentName={node.name} state={state} base={base} /> : null}
          </li>
        );
      })}
      {cursor || page.nextCursor ? (
        <li className="flex gap-3 py-1 pl-8">
          {cursor ? (
            <Link href={treeHref(base, { ...state, page: null })} scroll={false} className={link}>
              First {CHILDREN_PER_PAGE} under {parentName}
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={treeHref(base, { ...state, page: { node: key, cursor: page.nextCursor } })} scroll={false} className={link}>
              Next {CHILDREN_PER_PAGE} under {parentName}
            </Link>
          ) : null}
        </li>
      ) : null}
    </ul>
  );
}
