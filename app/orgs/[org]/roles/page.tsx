import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { ForbiddenError } from "@/lib/core/errors";
import { listRoles } from "@/lib/roles/list-roles";
import { Notice } from "@/components/access/notice";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { RoleLegend } from "@/components/access/role-legend";
import { RoleMatrix } from "@/components/access/role-matrix";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePrincipal } from "../../../load-viewer";
import { listPermissionRows, roleEditRights } from "./role-options";

export const metadata: Metadata = { title: "Roles" };

const notices: Record<string, string> = { created: "Role created.", saved: "Role saved.", deleted: "Role deleted." };

export default async function RolesPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ notice?: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const roles = await readAs(principal, (tx) => listRoles(tx, principal)).catch((error: unknown) => {
    if (error instanceof ForbiddenError) return null;
    throw error;
  });
  if (!roles) {
    return (
      <PermissionNeeded title="Roles">
        <p className="font-medium">Viewing roles needs the users:read or roles:manage permission.</p>
        <p className="mt-1">Ask an administrator of this organization for a role that includes one of them, such as Manager or Auditor.</p>
      </PermissionNeeded>
    );
  }
  const { canEdit } = roleEditRights(principal.access);
  const base = `/orgs/${org}/roles`;
  const notice = notices[(await searchParams).notice ?? ""];
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-semibold">Roles</h1>
        {canEdit ? (
          <Link href={`${base}/new`} className="rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
            New role
          </Link>
        ) : null}
      </div>
      {notice ? <Notice>{notice}</Notice> : null}
      {canEdit ? null : <p className="text-sm text-slate-600">You can read roles here; changing them needs the roles:manage permission across the whole organization.</p>}
      <RoleLegend />
      {roles.length === 0 ? (
        <EmptyState title="This organization has no roles yet">{canEdit ? "Create one with “New role”." : "An administrator can create them."}</EmptyState>
      ) : (
        <RoleMatrix
          permissions={listPermissionRows()}
          roles={roles.map((r) => ({ ...r, ...(canEdit ? { editHref: `${base}/${r.id}`, duplicateHref: `${base}/new?from=${r.id}` } : {}) }))}
        />
      )}
    </div>
  );
}
