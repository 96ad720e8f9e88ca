import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readAs } from "@/lib/core/read-as";
import { checkRoleEdit } from "@/lib/access/delegation";
import { listRoles } from "@/lib/roles/list-roles";
import { requirePrincipal } from "../../../../load-viewer";
import { deleteRoleAction, updateRoleAction } from "../actions";
import { DeleteRoleForm } from "../delete-role-form";
import { RoleForm } from "../role-form";
import { listInheritOptions, listPermissionRows, roleEditRights } from "../role-options";
import { RolesManageNeeded } from "../role-permission-needed";

export const metadata: Metadata = { title: "Edit role" };

export default async function EditRolePage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const principal = await requirePrincipal(org);
  const rights = roleEditRights(principal.access);
  if (!rights.canEdit) return <RolesManageNeeded title="Edit role" />;
  const roles = await readAs(principal, (tx) => listRoles(tx, principal));
  const role = roles.find((r) => r.id === id) ?? notFound();
  const base = `/orgs/${org}/roles`;
  const blocked = checkRoleEdit(principal.access, new Set(role.effective));
  return (
    <div className="max-w-4xl space-y-4">
      <Link href={base} className="text-sm text-brand-700 underline">
        ← All roles
      </Link>
      <h1 className="text-2xl font-semibold">Edit {role.name}</h1>
      {blocked.ok ? null : (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {blocked.reason} You can remove those permissions, but saving is refused while the role holds more than you do.
        </p>
      )}
      <RoleForm
        action={updateRoleAction.bind(null, org, role.id)}
        defaults={{ name: role.name, description: role.description, permissions: [...role.direct], inherits: role.inherits.map((r) => r.id) }}
        permissionOptions={listPermissionRows(principal.access)}
        inheritOptions={listInheritOptions(principal.access, roles, role.id)}
        submitLabel="Save role"
        doneHref={base}
        notice="saved"
      />
      {rights.canDelete ? (
        <DeleteRoleForm
          action={deleteRoleAction.bind(null, org, role.id)}
          roleName={role.name}
          inUse={role.inUse}
          inheritedBy={roles.filter((r) => r.inherits.some((i) => i.id === role.id)).map((r) => r.name)}
          reassignOptions={roles.filter((r) => r.id !== role.id).map((r) => ({ id: r.id, name: r.name }))}
          doneHref={`${base}?notice=deleted`}
        />
      ) : (
        <p className="text-sm text-slate-600">Deleting a role needs roles:manage across the whole organization.</p>
      )}
    </div>
  );
}
