import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { listRoles } from "@/lib/roles/list-roles";
import { requirePrincipal } from "../../../../load-viewer";
import { createRoleAction } from "../actions";
import { RoleForm } from "../role-form";
import { listInheritOptions, listPermissionRows, roleEditRights } from "../role-options";
import { RolesManageNeeded } from "../role-permission-needed";

export const metadata: Metadata = { title: "New role" };

export default async function NewRolePage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<{ from?: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  if (!roleEditRights(principal.access).canEdit) return <RolesManageNeeded title="New role" />;
  const [roles, { from }] = await Promise.all([readAs(principal, (tx) => listRoles(tx, principal)), searchParams]);
  // Duplicating starts from a copy of another role of this org; an unknown id starts blank.
  const source = roles.find((r) => r.id === from);
  const base = `/orgs/${org}/roles`;
  return (
    <div className="max-w-4xl space-y-4">
      <Link href={base} className="text-sm text-brand-700 underline">
        ← All roles
      </Link>
      <h1 className="text-2xl font-semibold">{source ? `Duplicate ${source.name}` : "New role"}</h1>
      <RoleForm
        action={createRoleAction.bind(null, org)}
        defaults={{
          name: source ? `${source.name} (copy)` : "",
          description: source?.description ?? "",
          permissions: source ? [...source.direct] : [],
          inherits: source ? source.inherits.map((r) => r.id) : [],
        }}
        permissionOptions={listPermissionRows(principal.access)}
        inheritOptions={listInheritOptions(principal.access, roles, null)}
        submitLabel="Create role"
        doneHref={base}
        notice="created"
      />
    </div>
  );
}
