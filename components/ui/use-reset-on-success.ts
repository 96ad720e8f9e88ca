"use client";

import { useEffect, useEffectEvent } from "react";

/**
 * Resets a form once its action answers success (issue 15: a form that succeeds resets fully).
 * The reset is an effect event, so it always sees the form's latest values without the effect
 * re-running for them: it runs once per new answer, never on an edit.
 */
export function useResetOnSuccess(state: { ok: boolean } | null, reset: () => void): void {
  const onSuccess = useEffectEvent(reset);
  useEffect(() => {
    if (state?.ok) onSuccess();
  }, [state]);
}
