"use client";

import { useId, type ReactNode } from "react";

interface InputProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby"?: string;
  className: string;
}

/** A labelled input with its error announced to assistive tech and tied to the field. */
export function FormField({ label, error, children }: { label: string; error?: string; children: (props: InputProps) => ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children({
        id,
        "aria-invalid": Boolean(error),
        ...(error ? { "aria-describedby": errorId } : {}),
        className: `mt-1 block w-full rounded-md border px-3 py-2 text-sm shadow-xs ${error ? "border-red-500" : "border-slate-300"}`,
      })}
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
