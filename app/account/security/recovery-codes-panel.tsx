"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "./confirm-button";

type Generated = { ok: true; data: { recoveryCodes: string[] } } | { ok: false; error: string };

/**
 * "N of 10 left" and new codes on request. The new codes live only in this component's state:
 * the server keeps hashes, so once the panel is closed (or the page reloaded) they are gone.
 */
export function RecoveryCodesPanel({ left, total, canGenerate, action }: { left: number; total: number; canGenerate: boolean; action: () => Promise<Generated> }) {
  const [pending, startTransition] = useTransition();
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (codes) panel.current?.focus();
  }, [codes]);

  const generate = () =>
    startTransition(async () => {
      const result = await action();
      setError(result.ok ? null : result.error);
      setCodes(result.ok ? result.data.recoveryCodes : null);
    });

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700" data-testid="recovery-codes-left">
        {left} of {total} left
      </p>
      {codes ? (
        <NewCodes codes={codes} panelRef={panel} onDone={() => setCodes(null)} />
      ) : canGenerate ? (
        <ConfirmButton
          label="Generate new codes"
          pendingLabel="Generating…"
          pending={pending}
          onConfirm={generate}
          confirm={{ question: `Your current recovery codes stop working at once, and ${total} new ones are shown here once. Continue?`, yes: "Yes, replace my codes" }}
        />
      ) : (
        <p className="text-sm text-slate-600">Set up an authenticator app or a passkey first: recovery codes back one up.</p>
      )}
      <FormAlert message={error} />
    </div>
  );
}

function NewCodes({ codes, panelRef, onDone }: { codes: string[]; panelRef: React.RefObject<HTMLElement | null>; onDone: () => void }) {
  const [copied, setCopied] = useState<string>("");
  const text = codes.join("\n") + "\n";

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("Codes copied to the clipboard.");
    } catch {
      setCopied("The browser did not allow copying; select the codes and copy them, or download them.");
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([`Countersign recovery codes (each works once)\n\n${text}`], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "countersign-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section ref={panelRef} tabIndex={-1} aria-labelledby="new-codes-heading" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 outline-none focus-visible:ring-2 focus-visible:ring-brand-600">
      <h4 id="new-codes-heading" className="font-medium text-amber-950">
        Your new recovery codes
      </h4>
      <p role="alert" className="text-sm text-amber-900">
        Save these now: they are shown only this once. Each code signs you in once if you lose your authenticator app or passkey. Your old codes no longer work.
      </p>
      <ol className="grid grid-cols-1 gap-1 font-mono text-sm sm:grid-cols-2" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code} className="rounded bg-white px-2 py-1">
            {code}
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={copy}>
          Copy codes
        </Button>
        <Button type="button" variant="secondary" onClick={download}>
          Download as .txt
        </Button>
        <Button type="button" onClick={onDone}>
          I have saved them
        </Button>
      </div>
      <p role="status" aria-live="polite" className="text-sm text-slate-700">
        {copied}
      </p>
    </section>
  );
}
