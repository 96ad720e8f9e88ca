const tones: Record<string, string> = {
  draft: "bg-slate-100 text-slate-700",
  submitted: "bg-amber-100 text-amber-800",
  approved: "bg-sky-100 text-sky-800",
  rejected: "bg-red-100 text-red-800",
  cancelled: "bg-slate-200 text-slate-600",
  fulfilled: "bg-emerald-100 text-emerald-800",
  issued: "bg-amber-100 text-amber-800",
  disputed: "bg-red-100 text-red-800",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium capitalize ${tones[status] ?? tones.draft}`}>{status}</span>;
}
