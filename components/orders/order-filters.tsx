import { Button } from "@/components/ui/button";

interface Props {
  action: string;
  statuses: string[];
  branches: Array<{ id: string; name: string; depth: number }>;
  values: { status?: string; branch?: string; buyer?: string; from?: string; to?: string; q?: string; sort: string; dir: string };
}

/** A plain GET form: filters live in the URL and work without JavaScript or a mouse. */
export function OrderFilters({ action, statuses, branches, values }: Props) {
  const input = "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <form action={action} method="get" role="search" aria-label="Filter orders" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      <label className="text-sm text-slate-700">
        Order number starts with
        <input name="q" defaultValue={values.q ?? ""} maxLength={40} className={input} placeholder="PO-100" />
      </label>
      <label className="text-sm text-slate-700">
        Status
        <select name="status" defaultValue={values.status ?? ""} className={input}>
          <option value="">Any status</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm text-slate-700">
        Branch
        <select name="branch" defaultValue={values.branch ?? ""} className={input}>
          <option value="">All branches you can see</option>
          {branches.map((b) => (
            <option key={b.id} value={b.id}>
              {"\u00a0\u00a0".repeat(b.depth) + b.name}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm text-slate-700">
        Placed from
        <input type="date" name="from" defaultValue={values.from ?? ""} min="2000-01-01" max="2999-12-31" className={input} />
      </label>
      <label className="text-sm text-slate-700">
        Placed until
        <input type="date" name="to" defaultValue={values.to ?? ""} min="2000-01-01" max="2999-12-31" className={input} />
      </label>
      {values.buyer ? (
        <p className="text-sm text-slate-600">
          <input type="hidden" name="buyer" value={values.buyer} />
          One buyer&apos;s orders only (Clear shows everyone&apos;s).
        </p>
      ) : null}
      <input type="hidden" name="sort" value={values.sort} />
      <input type="hidden" name="dir" value={values.dir} />
      <Button type="submit">Apply</Button>
      <a href={action} className="px-2 py-2 text-sm text-slate-600 underline">
        Clear
      </a>
    </form>
  );
}
