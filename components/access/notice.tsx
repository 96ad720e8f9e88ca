/** A one-line confirmation after a change, announced politely to screen readers. */
export function Notice({ children }: { children: React.ReactNode }) {
  return (
    <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {children}
    </p>
  );
}
