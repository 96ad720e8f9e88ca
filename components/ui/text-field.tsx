"use client";

import { useId, type InputHTMLAttributes } from "react";

interface Props extends Omit<InputHTMLAttributes<HTMLInputElement | HTMLTextAreaElement>, "id"> {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  multiline?: boolean;
}

/** A labelled input for plain server-action forms: the hint and the error are tied to the field. */
export function TextField({ name, label, error, hint, multiline = false, className = "", ...rest }: Props) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const input = `mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-xs ${error ? "border-red-500" : "border-slate-300"}`;
  const common = { id, name, "aria-invalid": Boolean(error), "aria-describedby": described, className: input };
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {multiline ? <textarea {...common} {...(rest as InputHTMLAttributes<HTMLTextAreaElement>)} rows={4} /> : <input {...common} {...rest} />}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The first reason for a field, from an action's failed state (keys as the command names them). */
export function fieldError(state: { ok: boolean; fieldErrors?: Record<string, string[]> } | null, ...keys: string[]): string | undefined {
  if (!state || state.ok || !state.fieldErrors) return undefined;
  for (const key of keys) {
    const exact = state.fieldErrors[key]?.[0];
    if (exact) return exact;
    const nested = Object.entries(state.fieldErrors).find(([k]) => k.startsWith(`${key}.`));
    // The server's reasons are sentences that already name the nested field ("Line 2 quantity …").
    if (nested) return nested[1][0];
  }
  return undefined;
}
