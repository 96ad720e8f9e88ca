import Link from "next/link";

interface Props {
  name: string;
  hasChildren: boolean;
  open: boolean;
  toggleHref: string;
  /** Absent when the viewer may neither manage this branch nor order for it. */
  manageHref?: string;
  /** "Manage", or "Addresses" for someone who may only read them. */
  manageLabel?: string;
  selected: boolean;
}

/** One branch in the tree: a disclosure link when it has children, and a manage link when allowed. */
export function BranchTreeRow({ name, hasChildren, open, toggleHref, manageHref, manageLabel = "Manage", selected }: Props) {
  return (
    <div className={`flex items-center gap-2 rounded px-1 py-1 ${selected ? "bg-brand-50 ring-1 ring-brand-600" : ""}`}>
      {hasChildren ? (
        <Link href={toggleHref} scroll={false} aria-expanded={open} aria-label={`${open ? "Collapse" : "Expand"} ${name}`} className="inline-flex size-6 items-center justify-center rounded text-slate-600 hover:bg-slate-100">
          <span aria-hidden="true">{open ? "▾" : "▸"}</span>
        </Link>
      ) : (
        <span aria-hidden="true" className="inline-flex size-6 items-center justify-center text-slate-300">
          •
        </span>
      )}
      <span className="font-medium text-slate-900">{name}</span>
      {manageHref ? (
        <Link href={manageHref} scroll={false} aria-label={`${manageLabel} ${name}`} className="ml-2 text-xs text-brand-700 underline">
          {manageLabel}
        </Link>
      ) : null}
    </div>
  );
}
