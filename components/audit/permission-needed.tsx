/** Says exactly what is missing, so a member knows whom to ask rather than assuming an empty trail. */
export function AuditPermissionNeeded() {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">Audit</h1>
      <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
        <p className="font-medium">You need the audit:read permission to see the audit trail.</p>
        <p className="mt-1">Ask an administrator of this organization for a role that includes it, such as Auditor. This attempt has been recorded.</p>
      </div>
    </div>
  );
}
