"use client";

import { useTransition } from "react";
import { ConfirmButton, type ConfirmButtonProps } from "./confirm-button";
import { useSectionStatus, type ActionOutcome } from "./section-status";

/**
 * Runs one server action (already bound to its target) and reports the result in the section's
 * status line. The server checks ownership and step-up again whatever the page showed.
 */
export function ActionButton({ action, ...props }: Omit<ConfirmButtonProps, "pending" | "onConfirm"> & { action: () => Promise<ActionOutcome> }) {
  const [pending, startTransition] = useTransition();
  const show = useSectionStatus();
  const run = () =>
    startTransition(async () => {
      show(await action());
    });
  return <ConfirmButton {...props} pending={pending} onConfirm={run} />;
}
