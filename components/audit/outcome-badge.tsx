const tones: Record<string, string> = {
  success: "bg-emerald-100 text-emerald-800",
  denied: "bg-amber-100 text-amber-900",
  failure: "bg-red-100 text-red-800",
};

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium capitalize ${tones[outcome] ?? tones.failure}`}>{outcome}</span>;
}
