import type { ReactNode } from "react";

/** Says which permission is missing, so a member knows whom to ask instead of assuming an empty page. */
export function PermissionNeeded({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-3">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900">
        {children}
      </div>
    </div>
  );
}
