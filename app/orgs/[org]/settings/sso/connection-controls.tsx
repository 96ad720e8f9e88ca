"use client";

import type { ActionResult } from "@/lib/core/action-result";
import { ConfirmActionButton } from "./confirm-action-button";

type Act<T> = () => Promise<ActionResult<T>>;

/** Per connection: Test (to the IdP and back, nobody signed in), enable or disable, delete (asks first). */
export function ConnectionControls({ name, enabled, test, toggle, remove }: { name: string; enabled: boolean; test: Act<{ redirectUrl: string }>; toggle: Act<{ id: string }>; remove: Act<{ id: string }> }) {
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label={`Actions for ${name}`}>
      <ConfirmActionButton
        action={test}
        label="Test connection"
        pendingLabel="Opening the IdP…"
        onDone={(data) => {
          // A fresh navigation to the IdP, which the CSP's form-action allows.
          const url = (data as { redirectUrl?: string }).redirectUrl;
          if (url) window.location.assign(url);
        }}
      />
      <ConfirmActionButton action={toggle} label={enabled ? "Disable" : "Enable"} pendingLabel="Saving…" done={enabled ? "Disabled." : "Enabled."} question={enabled ? `Disable ${name}? Nobody can sign in through it until it is enabled again.` : undefined} confirmLabel="Yes, disable" />
      <ConfirmActionButton action={remove} label="Delete connection" question={`Delete ${name}? Its identities and mapping rules go; its domains stay verified. This cannot be undone.`} confirmLabel="Yes, delete" pendingLabel="Deleting…" />
    </div>
  );
}
