import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { holdsAnywhere, scopeOf } from "@/lib/access/access";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { ValidationError } from "@/lib/core/errors";
import { listMembers, MEMBER_SOURCES, memberListQuerySchema, type MemberPage } from "@/lib/identity/list-members";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { MembersTable } from "@/components/access/members-table";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { Button } from "@/components/ui/button";
import { requirePrincipal } from "../../../load-viewer";
import { bulkMembersAction } from "./bulk-action";
import { BULK_FORM_ID, BulkActions } from "./bulk-actions";
import { loadGrantChoices } from "./grant-choices";
import { describeFieldErrorsForPeople, describeFieldProblem } from "@/lib/core/plain-messages";

export const metadata: Metadata = { title: "Users" };

type SearchParams = Record<string, string | string[] | undefined>;

const SOURCE_LABELS: Record<string, string> = { manual: "Manual", invitation: "Invitation", import: "CSV import", scim: "SCIM", sso: "SSO" };

export default async function UsersPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const scope = scopeOf(principal.access, "users:read");
  if (scope.kind === "none") {
    return (
      <PermissionNeeded title="Users">
        <p className="font-medium">Listing members needs the users:read permission.</p>
        <p className="mt-1">Ask an administrator of this organization for a role that includes it, such as Manager or Auditor.</p>
      </PermissionNeeded>
    );
  }
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== "" && v !== undefined));
  const parsed = memberListQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : memberListQuerySchema.parse({});
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => describeFieldProblem(i.path.join("."), i.message));
  const manages = holdsAnywhere(principal.access, "users:manage");
  const empty: MemberPage = { data: [], nextCursor: null, prevCursor: null };
  const { page, filterBranches, roles, choices } = await readAs(principal, async (tx) => {
    // A forged or stale cursor is refused before any query runs, so the transaction goes on.
    const page = await listMembers(tx, principal, query).catch((error: unknown) => {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...Object.values(describeFieldErrorsForPeople(error.fieldErrors)).flat());
      return empty;
    });
    const graph = await loadRoleGraph(tx, principal.org!.id);
    return {
      page,
      filterBranches: await listBranchOptions(tx, principal, "users:read", 500),
      roles: [...graph.values()].map((r) => ({ id: r.id, name: r.name })).sort((a, b) => a.name.localeCompare(b.name)),
      choices: manages ? await loadGrantChoices(tx, principal, null) : null,
    };
  });
  const base = `/orgs/${org}/users`;
  const keep = { q: query.q, sort: query.sort === "email" ? undefined : query.sort, status: query.status, source: query.source, branchId: query.branchId, roleId: query.roleId, mfa: query.mfa, noSignInDays: query.noSignInDays, limit: query.limit === 50 ? undefined : query.limit };
  const filtered = Boolean(query.q || query.status || query.source || query.branchId || query.roleId || query.mfa || query.noSignInDays);
  const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        {manages ? (
          <div className="flex flex-wrap gap-2">
            <Link href={`${base}/import`} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
              Import CSV
            </Link>
            <Link href={`${base}/new`} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
              Add member
            </Link>
          </div>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">
        {scope.kind === "all" ? "Every member of the organization." : "Members who hold a grant in the part of the branch tree where you have users:read."}
      </p>
      {problems.length > 0 ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Some of the search was not understood and was ignored: {problems.join(" ")}
        </div>
      ) : null}
      <form action={base} method="get" role="search" aria-label="Search and filter members" className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-4">
        <label className="text-sm text-slate-700 sm:col-span-2">
          Name or email contains
          <input name="q" type="search" defaultValue={query.q ?? ""} maxLength={254} className={field} placeholder="anna, @acme.test" />
        </label>
        <label className="text-sm text-slate-700">
          Status
          <select name="status" defaultValue={query.status ?? ""} className={field}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="invited">Invited</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Sort by
          <select name="sort" defaultValue={query.sort} className={field}>
            <option value="email">Email</option>
            <option value="name">Name</option>
            <option value="status">Status</option>
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Branch
          <select name="branchId" defaultValue={query.branchId ?? ""} className={field}>
            <option value="">Any branch</option>
            <BranchSelectOptions branches={filterBranches.map((b) => ({ value: b.id, label: b.name, depth: b.depth }))} />
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Role
          <select name="roleId" defaultValue={query.roleId ?? ""} className={field}>
            <option value="">Any role</option>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm text-slate-700">
          MFA
          <select name="mfa" defaultValue={query.mfa ?? ""} className={field}>
            <option value="">Either</option>
            <option value="on">On</option>
            <option value="off">Off</option>
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Last sign-in
          <select name="noSignInDays" defaultValue={query.noSignInDays ? String(query.noSignInDays) : ""} className={field}>
            <option value="">Any time</option>
            {query.noSignInDays && query.noSignInDays !== 90 ? <option value={String(query.noSignInDays)}>None in {query.noSignInDays} days</option> : null}
            <option value="90">None in 90 days</option>
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Source
          <select name="source" defaultValue={query.source ?? ""} className={field}>
            <option value="">Any source</option>
            {MEMBER_SOURCES.map((s) => (
              <option key={s} value={s}>
                {SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
          <Button type="submit">Search</Button>
          <a href={base} className="px-2 py-2 text-sm text-slate-600 underline">
            Clear
          </a>
        </div>
      </form>
      {choices && page.data.length > 0 ? (
        <BulkActions action={bulkMembersAction.bind(null, org)} roles={choices.roles} branches={choices.branches} emails={Object.fromEntries(page.data.map((m) => [m.membershipId, m.email]))} />
      ) : null}
      <MembersTable orgSlug={org} rows={page.data} searched={filtered} selectForm={choices ? BULK_FORM_ID : undefined} />
      <KeysetPager base={base} query={keep} prevCursor={page.prevCursor} nextCursor={page.nextCursor} shown={page.data.length} noun="members" />
    </div>
  );
}
