"use client";

import { useId, type ReactNode } from "react";

export interface CheckboxOption {
  value: string;
  label: ReactNode;
  hint?: string;
  /**
   * Why the box may not be ticked, read out with it. A box already ticked stays enabled, so the
   * user can still take away what they could not have given.
   */
  disabledReason?: string;
}

interface Props {
  legend: string;
  options: CheckboxOption[];
  selected: readonly string[];
  onChange(next: string[]): void;
  error?: string;
  columns?: 1 | 2 | 3;
}

/** A fieldset of labelled checkboxes bound to an array value; disabled boxes say why. */
export function CheckboxGroup({ legend, options, selected, onChange, error, columns = 2 }: Props) {
  const id = useId();
  const grid = { 1: "", 2: "sm:grid-cols-2", 3: "sm:grid-cols-2 lg:grid-cols-3" }[columns];
  const toggle = (value: string, on: boolean) => onChange(on ? [...selected, value] : selected.filter((v) => v !== value));
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined} className="rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-700">{legend}</legend>
      {options.length === 0 ? <p className="text-sm text-slate-500">Nothing to choose from.</p> : null}
      <ul className={`grid gap-2 ${grid}`}>
        {options.map((o, i) => {
          const boxId = `${id}-${i}`;
          const reasonId = `${boxId}-reason`;
          const checked = selected.includes(o.value);
          const disabled = Boolean(o.disabledReason) && !checked;
          return (
            <li key={o.value} className="flex items-start gap-2 text-sm">
              <input
                id={boxId}
                type="checkbox"
                className="mt-0.5 size-4"
                checked={checked}
                disabled={disabled}
                aria-describedby={o.disabledReason ? reasonId : o.hint ? `${boxId}-hint` : undefined}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <span>
                <label htmlFor={boxId} className={disabled ? "text-slate-500" : "text-slate-900"}>
                  {o.label}
                </label>
                {o.hint ? (
                  <span id={`${boxId}-hint`} className="block text-xs text-slate-500">
                    {o.hint}
                  </span>
                ) : null}
                {o.disabledReason ? (
                  <span id={reasonId} className="block text-xs text-amber-800">
                    {o.disabledReason}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ul>
      {error ? (
        <p id={`${id}-error`} className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
