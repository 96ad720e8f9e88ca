export function RoleLegend() {
  return (
    <p className="flex flex-wrap gap-4 text-sm text-slate-600">
      <span>
        <span aria-hidden="true" className="text-brand-700">
          ●
        </span>{" "}
        direct: listed on the role
      </span>
      <span>
        <span aria-hidden="true">○</span> inherited: comes from the role named under it
      </span>
    </p>
  );
}
