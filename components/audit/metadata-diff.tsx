interface Change {
  key: string;
  kind: "changed" | "added" | "removed" | "unchanged";
  before: string | null;
  after: string | null;
}

const kindStyles: Record<Change["kind"], string> = {
  changed: "bg-amber-100 text-amber-900",
  added: "bg-emerald-100 text-emerald-800",
  removed: "bg-red-100 text-red-800",
  unchanged: "bg-slate-100 text-slate-600",
};

/** metadata.before against metadata.after, key by key; the kind is written out, not only coloured. */
export function MetadataDiff({ changes }: { changes: Change[] }) {
  return (
    <table className="min-w-full rounded-lg border border-slate-200 bg-white text-sm">
      <caption className="sr-only">Changes recorded by this event</caption>
      <thead className="bg-slate-50 text-left text-slate-600">
        <tr>
          <th scope="col" className="px-3 py-2">Field</th>
          <th scope="col" className="px-3 py-2">Change</th>
          <th scope="col" className="px-3 py-2">Before</th>
          <th scope="col" className="px-3 py-2">After</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {changes.map((c) => (
          <tr key={c.key} className="align-top">
            <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-normal">{c.key}</th>
            <td className="px-3 py-2">
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${kindStyles[c.kind]}`}>{c.kind}</span>
            </td>
            <td className="px-3 py-2 font-mono text-xs break-all">{c.before ?? <span className="text-slate-400">—</span>}</td>
            <td className="px-3 py-2 font-mono text-xs break-all">{c.after ?? <span className="text-slate-400">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Metadata that is not part of a before/after pair. */
export function MetadataList({ entries }: { entries: Array<{ key: string; value: string }> }) {
  return (
    <dl className="grid gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
      {entries.map((e) => (
        <div key={e.key} className="contents">
          <dt className="font-mono text-xs text-slate-500">{e.key}</dt>
          <dd className="font-mono text-xs break-all">{e.value}</dd>
        </div>
      ))}
    </dl>
  );
}
