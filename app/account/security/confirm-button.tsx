"use client";

import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";

export interface ConfirmButtonProps {
  label: string;
  pendingLabel: string;
  pending: boolean;
  onConfirm: () => void;
  /** With a question, the first press only asks; the change happens on the "yes" button. */
  confirm?: { question: string; yes: string };
  variant?: "primary" | "secondary";
  disabled?: boolean;
  /** Ties the button to what it acts on (a table row's device, a passkey's name). */
  describedBy?: string;
}

/** A button for a change that is hard to undo, asking first. Escape or "Cancel" backs out. */
export function ConfirmButton({ label, pendingLabel, pending, onConfirm, confirm, variant = "secondary", disabled, describedBy }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [wasPending, setWasPending] = useState(pending);
  // Cancelling puts focus back on the button that opened the question (mounted again by then).
  const refocus = useRef(false);
  const questionId = useId();
  // The question closes once its answer has run, whatever the result (shown by the caller).
  if (pending !== wasPending) {
    setWasPending(pending);
    if (!pending) setAsking(false);
  }
  if (confirm && (asking || pending)) {
    const cancel = () => {
      setAsking(false);
      refocus.current = true;
    };
    return (
      <div role="group" aria-label={label} aria-describedby={questionId} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3" onKeyDown={(e) => e.key === "Escape" && !pending && cancel()}>
        <p id={questionId} className="text-sm text-amber-900">
          {confirm.question}
        </p>
        <div className="flex flex-wrap gap-2">
          {/* The question was just opened by a keypress or click: the answer is where focus goes. */}
          <Button type="button" autoFocus disabled={pending} aria-busy={pending} onClick={onConfirm}>
            {pending ? pendingLabel : confirm.yes}
          </Button>
          <Button type="button" variant="secondary" disabled={pending} onClick={cancel}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }
  return (
    <span
      ref={(el) => {
        if (!el || !refocus.current) return;
        refocus.current = false;
        el.querySelector("button")?.focus();
      }}
    >
      <Button type="button" variant={variant} disabled={disabled || pending} aria-busy={pending} aria-describedby={describedBy} onClick={() => (confirm ? setAsking(true) : onConfirm())}>
        {pending ? pendingLabel : label}
      </Button>
    </span>
  );
}
