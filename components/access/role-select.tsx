"use client";

import { forwardRef, type SelectHTMLAttributes } from "react";

export interface RoleChoice {
  value: string;
  label: string;
  /** Why the actor may not hand this role out at the chosen branch; absent when they may. */
  refusal: string | null;
}

/**
 * A role picker where roles the actor may not delegate stay visible but disabled, so the list
 * explains itself; the reasons are listed under it for screen readers and sighted users alike.
 */
export const RoleSelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement> & { choices: RoleChoice[]; reasonsId: string }>(function RoleSelect({ choices, reasonsId, ...props }, ref) {
  const refused = choices.filter((c) => c.refusal);
  return (
    <>
      <select ref={ref} {...props} aria-describedby={[props["aria-describedby"], refused.length ? reasonsId : undefined].filter(Boolean).join(" ") || undefined}>
        <option value="">Choose a role…</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value} disabled={Boolean(c.refusal)}>
            {c.refusal ? `${c.label} (not allowed here)` : c.label}
          </option>
        ))}
      </select>
      {refused.length ? (
        <ul id={reasonsId} className="mt-1 space-y-0.5 text-xs text-amber-800">
          {refused.map((c) => (
            <li key={c.value}>
              {c.label}: {c.refusal}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
});
