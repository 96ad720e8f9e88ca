/** Marks permissions the catalog flags as admin-class (they will require MFA). */
export function AdminClassBadge() {
  return (
    <span className="rounded bg-violet-100 px-1.5 py-0.5 text-[10px] font-semibold tracking-wide text-violet-800 uppercase" title="Admin-class permission: will require multi-factor authentication">
      admin-class
    </span>
  );
}
