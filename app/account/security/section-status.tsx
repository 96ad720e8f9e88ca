"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";

export type ActionOutcome = { ok: true; data: { message: string } } | { ok: false; error: string };

const ShowContext = createContext<(outcome: ActionOutcome) => void>(() => {});

/**
 * One result line per section, outside the rows: ending a session or removing a passkey removes
 * the row (and its button) on the refresh, so the result is shown, announced and focused here.
 * Both live regions stay mounted, so screen readers announce each new text.
 */
export function SectionStatus({ children }: { children: ReactNode }) {
  const [outcome, setOutcome] = useState<{ value: ActionOutcome; at: number } | null>(null);
  const status = useRef<HTMLParagraphElement>(null);
  const alert = useRef<HTMLParagraphElement>(null);
  const show = useCallback((value: ActionOutcome) => setOutcome({ value, at: Date.now() }), []);
  useEffect(() => {
    if (outcome) (outcome.value.ok ? status : alert).current?.focus();
  }, [outcome]);
  const ok = outcome?.value.ok ? outcome.value.data.message : "";
  const failed = outcome && !outcome.value.ok ? outcome.value.error : "";
  const line = "rounded-md px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-brand-600";
  return (
    <ShowContext.Provider value={show}>
      <p ref={status} tabIndex={-1} role="status" className={ok ? `mb-3 bg-emerald-50 text-emerald-900 ${line}` : "sr-only"}>
        {ok}
      </p>
      <p ref={alert} tabIndex={-1} role="alert" className={failed ? `mb-3 bg-red-50 text-red-800 ${line}` : "sr-only"}>
        {failed}
      </p>
      {children}
    </ShowContext.Provider>
  );
}

export function useSectionStatus(): (outcome: ActionOutcome) => void {
  return useContext(ShowContext);
}
