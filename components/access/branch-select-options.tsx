/** Tree-ordered branch options, indented by depth with non-breaking spaces (selects ignore padding). */
export function BranchSelectOptions({ branches }: { branches: Array<{ value: string; label: string; depth: number }> }) {
  return (
    <>
      {branches.map((b) => (
        <option key={b.value} value={b.value}>
          {"\u00a0\u00a0".repeat(b.depth) + b.label}
        </option>
      ))}
    </>
  );
}
