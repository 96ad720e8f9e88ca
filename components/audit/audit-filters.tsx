import { Button } from "@/components/ui/button";
import { auditOutcomes, parseUtcDateTime, type AuditFilters } from "@/lib/audit/schemas";

interface Props {
  action: string;
  branches: Array<{ id: string; name: string; depth: number }>;
  values: AuditFilters & { limit?: number | undefined };
}

/** A plain GET form: the filters live in the URL, so a view can be shared, reloaded and exported. */
export function AuditFilters({ action, branches, values }: Props) {
  const input = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  const label = "text-sm text-slate-700";
  return (
    <form action={action} method="get" role="search" aria-label="Filter audit events" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-4">
      <label className={label}>
        Actor (id, or start of email)
        <input name="actor" defaultValue={values.actor ?? ""} maxLength={254} className={input} placeholder="ada@" />
      </label>
      <label className={label}>
        Action (exact, or prefix ending in “.”)
        <input name="action" defaultValue={values.action ?? ""} maxLength={100} className={input} placeholder="order.created or auth." />
      </label>
      <label className={label}>
        Target id
        <input name="target" defaultValue={values.target ?? ""} maxLength={200} className={input} />
      </label>
      <label className={label}>
        Outcome
        <select name="outcome" defaultValue={values.outcome ?? ""} className={input}>
          <option value="">Any outcome</option>
          {auditOutcomes.map((o) => (
            <option key={o} value={o}>
              {o[0]!.toUpperCase() + o.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
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
      <label className={label}>
        From (UTC)
        <input type="datetime-local" step={1} name="from" defaultValue={toInputValue(values.from)} className={input} />
      </label>
      <label className={label}>
        To (UTC, exclusive)
        <input type="datetime-local" step={1} name="to" defaultValue={toInputValue(values.to)} className={input} />
      </label>
      {values.limit ? <input type="hidden" name="limit" value={values.limit} /> : null}
      <div className="flex items-end gap-2">
        <Button type="submit">Apply</Button>
        <a href={action} className="px-2 py-2 text-sm text-slate-600 underline">
          Clear
        </a>
      </div>
    </form>
  );
}

/** datetime-local wants "YYYY-MM-DDTHH:MM:SS" with no zone; the form's times are UTC. */
function toInputValue(text: string | undefined): string {
  const date = text ? parseUtcDateTime(text) : null;
  return date ? date.toISOString().slice(0, 19) : "";
}
