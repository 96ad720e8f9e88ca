import type { DryRunResult } from "@/lib/sso/dry-run-mappings";
import type { DryRunQuery } from "@/lib/sso/dry-run-query";

// Fixed texts per reason, as on the sign-in refusal page.
const REASONS: Record<string, string> = {
  "no-mapping-rule": "No rule matches and the connection has no default role: this person would be refused, with a page that says why.",
  "groups-overage": "The IdP says there are too many groups to send (Entra's group overage): the sign-in would be refused rather than read as “no groups”.",
  "entra-identity-incomplete": "Entra claims need tid and oid.",
  "no-subject": "The claims name nobody (no sub).",
};

const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-xs";

/**
 * "These claims would give these grants". A GET form: the dry run is a read, so the page itself
 * runs it from the query string (no server action, nothing audited) and shows the answer here.
 */
export function DryRunForm({ action, connections, query, result }: { action: string; connections: Array<{ id: string; name: string }>; query: DryRunQuery; result: DryRunResult | null }) {
  return (
    <form method="get" action={action} className="space-y-3" aria-label="Dry run">
      <div>
        <label htmlFor="dry-connection" className="block text-sm font-medium text-slate-700">
          Connection
        </label>
        <select id="dry-connection" name="dryConnection" defaultValue={query.echo.connectionId || connections[0]?.id} className={field}>
          {connections.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="dry-groups" className="block text-sm font-medium text-slate-700">
          Groups (one per line)
        </label>
        <textarea id="dry-groups" name="dryGroups" rows={3} maxLength={4000} defaultValue={query.echo.groups} className={field} />
      </div>
      <div>
        <label htmlFor="dry-claims" className="block text-sm font-medium text-slate-700">
          Other claims as JSON (optional)
        </label>
        <textarea id="dry-claims" name="dryClaims" rows={2} maxLength={4000} placeholder='{"department": "Sales"}' defaultValue={query.echo.claims} aria-invalid={Boolean(query.error)} aria-describedby={query.error ? "dry-error" : undefined} className={field} />
        {query.error ? (
          <p id="dry-error" role="alert" className="mt-1 text-sm text-red-700">
            {query.error}
          </p>
        ) : null}
      </div>
      {result ? (
        <div role="status" className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800">
          {result.outcome === "refused" ? (
            <p>{REASONS[result.reason] ?? `A sign-in would be refused (${result.reason}).`}</p>
          ) : (
            <>
              <p>{result.source === "default" ? "No rule matches; the connection's default gives:" : "These claims would give:"}</p>
              <ul className="list-disc pl-5">
                {result.grants.map((g) => (
                  <li key={`${g.roleId}/${g.branchId ?? ""}`}>
                    {g.role} {g.branch ? `at ${g.branch}` : "for the whole organization"}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}
      <button type="submit" className="inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
        Run the dry run
      </button>
    </form>
  );
}
