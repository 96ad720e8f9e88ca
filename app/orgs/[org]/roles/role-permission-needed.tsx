import { PermissionNeeded } from "@/components/access/permission-needed";

export function RolesManageNeeded({ title }: { title: string }) {
  return (
    <PermissionNeeded title={title}>
      <p className="font-medium">Creating and editing roles needs the roles:manage permission across the whole organization.</p>
      <p className="mt-1">Ask an administrator of this organization; the Admin role includes it.</p>
    </PermissionNeeded>
  );
}
