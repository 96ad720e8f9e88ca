import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { holdsAnywhere, scopeOf } from "@/lib/access/access";
import { ValidationError } from "@/lib/core/errors";
import { listMembers, memberListQuerySchema, type MemberPage } from "@/lib/identity/list-members";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { MembersTable } from "@/components/access/members-table";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { Button } from "@/components/ui/button";
import { requirePrincipal } from "../../../load-viewer";

export const metadata: Metadata = { title: "Users" };

type SearchParams = Record<string, string | string[] | undefined>;

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
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  let page: MemberPage = { data: [], nextCursor: null, prevCursor: null };
  try {
    page = await readAs(principal, (tx) => listMembers(tx, principal, query));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...Object.entries(error.fieldErrors).map(([f, r]) => `${f}: ${r.join("; ")}`));
  }
  const base = `/orgs/${org}/users`;
  const keep = { q: query.q, limit: query.limit === 50 ? undefined : query.limit };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold">Users</h1>
        {holdsAnywhere(principal.access, "users:manage") ? (
          <Link href={`${base}/new`} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
            Add member
          </Link>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">
        {scope.kind === "all" ? "Every member of the organization." : "Members who hold a grant in the part of the branch tree where you have users:read."}
      </p>
      {problems.length > 0 ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Some of the search was not understood and was ignored: {problems.join(". ")}.
        </div>
      ) : null}
      <form action={base} method="get" role="search" aria-label="Search members" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="text-sm text-slate-700">
          Email starts with
          <input name="q" type="search" defaultValue={query.q ?? ""} maxLength={254} className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm" placeholder="anna@" />
        </label>
        <Button type="submit">Search</Button>
        <a href={base} className="px-2 py-2 text-sm text-slate-600 underline">
          Clear
        </a>
      </form>
      <MembersTable orgSlug={org} rows={page.data} searched={Boolean(query.q)} />
      <KeysetPager base={base} query={keep} prevCursor={page.prevCursor} nextCursor={page.nextCursor} shown={page.data.length} noun="members" />
    </div>
  );
}
