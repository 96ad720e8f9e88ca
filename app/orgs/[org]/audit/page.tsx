import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { encodeControlChars } from "@/lib/audit/encode-control-chars";
import { findLatestCheckpoint } from "@/lib/audit/latest-checkpoint";
import { listAuditEvents, type AuditEventPage } from "@/lib/audit/list-audit-events";
import { auditListQuerySchema, type AuditFilters as Filters, type AuditListQuery } from "@/lib/audit/schemas";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { ValidationError } from "@/lib/core/errors";
import { AuditFilters } from "@/components/audit/audit-filters";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { AuditTable } from "@/components/audit/audit-table";
import { CheckpointBadge } from "@/components/audit/checkpoint-badge";
import { ExportLinks } from "@/components/audit/export-links";
import { AuditPermissionNeeded } from "@/components/audit/permission-needed";
import { loadAuditReader } from "./load-audit-reader";
import { describeFieldErrorsForPeople, describeFieldProblem } from "@/lib/core/plain-messages";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await loadAuditReader(org, "audit.events");
  if (!principal) return <AuditPermissionNeeded />;
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== "" && v !== undefined));
  const { query, problems } = parseLeniently(raw);

  let page: AuditEventPage = { data: [], nextCursor: null, prevCursor: null };
  try {
    page = await readAs(principal, (tx) => listAuditEvents(tx, principal, query));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...Object.values(describeFieldErrorsForPeople(error.fieldErrors)).flat());
  }
  const [branches, checkpoint] = await readAs(principal, (tx) => Promise.all([listBranchOptions(tx, principal, "audit:read"), findLatestCheckpoint(tx, principal.org!.id)]));
  const filters: Filters = { actor: query.actor, action: query.action, target: query.target, branch: query.branch, outcome: query.outcome, from: query.from, to: query.to };
  const filtered = Object.values(filters).some(Boolean);
  const base = `/orgs/${org}/audit`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold">Audit</h1>
        <ExportLinks orgSlug={org} filters={filters} />
      </div>
      <CheckpointBadge orgSlug={org} checkpoint={checkpoint} />
      {problems.length > 0 ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Some filters were not understood and were ignored: {problems.join(" ")}
        </div>
      ) : null}
      <AuditFilters action={base} branches={branches.map((b) => ({ ...b, name: encodeControlChars(b.name) }))} values={{ ...filters, limit: query.limit === 50 ? undefined : query.limit }} />
      <AuditTable orgSlug={org} rows={page.data} filtered={filtered} />
      <KeysetPager base={base} query={{ ...filters, limit: query.limit === 50 ? undefined : query.limit }} prevCursor={page.prevCursor} nextCursor={page.nextCursor} shown={page.data.length} noun="events" labels={{ first: "Newest", prev: "Newer", next: "Older" }} />
    </div>
  );
}

/** A bad filter is dropped and named; the others still apply, so one typo does not reset the view. */
function parseLeniently(raw: Record<string, string | undefined>): { query: AuditListQuery; problems: string[] } {
  const parsed = auditListQuerySchema.safeParse(raw);
  if (parsed.success) return { query: parsed.data, problems: [] };
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  const rest = auditListQuerySchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k))));
  return { query: rest.success ? rest.data : auditListQuerySchema.parse({}), problems: parsed.error.issues.map((i) => describeFieldProblem(i.path.join("."), i.message)) };
}
