import Link from "next/link";
import { Fragment } from "react";
import { AdminClassBadge } from "./admin-class-badge";

export interface MatrixPermission {
  key: string;
  description: string;
  adminClass: boolean;
  group: string;
}

export interface MatrixRole {
  id: string;
  name: string;
  description: string;
  sources: Partial<Record<string, { kind: "direct" } | { kind: "inherited"; from: string; via: string[] }>>;
  /** Links to the role's editor and to a copy of it; absent when the viewer may not edit roles. */
  editHref?: string;
  duplicateHref?: string;
}

/**
 * Permissions as rows (grouped by resource), roles as columns. A filled dot is a permission the
 * role lists itself; a hollow one is inherited, with the role it comes from in the cell's text.
 * The permission column stays pinned while the roles scroll inside the table's own box (narrower
 * on a phone, so a role or two fit beside it).
 */
export function RoleMatrix({ permissions, roles }: { permissions: MatrixPermission[]; roles: MatrixRole[] }) {
  const groups = [...new Set(permissions.map((p) => p.group))];
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Permissions of each role: direct, inherited (with the role it comes from), or none</caption>
        <thead className="bg-slate-50 text-left align-bottom text-slate-700">
          <tr>
            <th scope="col" className="sticky left-0 z-10 bg-slate-50 px-3 py-2 font-medium">
              Permission
            </th>
            {roles.map((role) => (
              <th key={role.id} scope="col" className="min-w-28 px-3 py-2 font-medium" title={role.description || undefined}>
                <span className="block">{role.name}</span>
                {role.editHref ? (
                  <span className="mt-1 flex gap-2 text-xs font-normal">
                    <Link href={role.editHref} className="text-brand-700 underline" aria-label={`Edit ${role.name}`}>
                      Edit
                    </Link>
                    <Link href={role.duplicateHref!} className="text-brand-700 underline" aria-label={`Duplicate ${role.name}`}>
                      Duplicate
                    </Link>
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <Fragment key={group}>
              <tr className="bg-slate-50/60">
                <th scope="rowgroup" colSpan={roles.length + 1} className="px-3 pt-3 pb-1 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase">
                  {group}
                </th>
              </tr>
              {permissions
                .filter((p) => p.group === group)
                .map((p) => (
                  <tr key={p.key} className="border-t border-slate-100">
                    <th scope="row" className="sticky left-0 z-10 max-w-44 bg-white px-3 py-2 text-left font-normal sm:max-w-none" title={p.description}>
                      <code className="font-mono text-slate-900">{p.key}</code> {p.adminClass ? <AdminClassBadge /> : null}
                      <span className="block text-xs text-slate-500">{p.description}</span>
                    </th>
                    {roles.map((role) => (
                      <td key={role.id} className="px-3 py-2 text-center">
                        <MatrixCell source={role.sources[p.key]} />
                      </td>
                    ))}
                  </tr>
                ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MatrixCell({ source }: { source: MatrixRole["sources"][string] }) {
  if (!source) return <span className="sr-only">none</span>;
  if (source.kind === "direct") {
    return (
      <span className="text-brand-700" title="Direct">
        <span aria-hidden="true">●</span>
        <span className="sr-only">direct</span>
      </span>
    );
  }
  return (
    <span className="inline-flex flex-col items-center text-slate-500" title={`Inherited via ${source.via.join(" → ")}`}>
      <span aria-hidden="true">○</span>
      <span className="text-[11px] leading-tight">
        <span className="sr-only">inherited from </span>
        {source.from}
      </span>
    </span>
  );
}
