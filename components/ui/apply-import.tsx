"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "./button";

interface Counts {
  validRows: number;
  appliedRows: number;
  done: boolean;
}
/** A catalog import counts products; a members import counts invitations. */
type Progress = Counts & ({ created: number; updated: number; unchanged: number } | { invited: number; skipped: number; failed: number });

function describe(p: Progress): string {
  const counts = "created" in p ? `${p.created} new, ${p.updated} updated, ${p.unchanged} unchanged` : `${p.invited} invited, ${p.skipped} already members, ${p.failed} refused`;
  return `${p.appliedRows} of ${p.validRows} rows applied (${counts})`;
}

/**
 * Applies an import (catalog or members) batch after batch, one audited command each, and shows
 * how far it is. Leaving the page stops it; pressing the button again continues where it stopped.
 */
export function ApplyImport<P extends Progress>({ applyBatch, initial, label }: { applyBatch: () => Promise<ActionResult<P>>; initial: Progress; label: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState<Progress>(initial);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run() {
    setRunning(true);
    setError(null);
    try {
      for (;;) {
        const result = await applyBatch();
        if (!result.ok) return setError(result.error);
        setProgress(result.data);
        if (result.data.done) break;
      }
      router.refresh();
    } catch {
      setError("The connection was lost. Press the button again to continue where it stopped.");
    } finally {
      setRunning(false);
    }
  }
  const percent = progress.validRows ? Math.floor((progress.appliedRows / progress.validRows) * 100) : 100;
  return (
    <div className="space-y-3">
      <div>
        <div role="progressbar" aria-label="Rows applied" aria-valuemin={0} aria-valuemax={progress.validRows} aria-valuenow={progress.appliedRows} aria-valuetext={`${progress.appliedRows} of ${progress.validRows} rows applied`} className="h-3 w-full max-w-xl overflow-hidden rounded-full bg-slate-200">
          <div className="h-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
        </div>
        <p className="mt-1 text-sm text-slate-600" aria-live="polite" data-testid="import-progress">
          {describe(progress)}
        </p>
      </div>
      <FormAlert message={error} />
      {progress.done ? (
        <Notice>Import applied.</Notice>
      ) : (
        <Button type="button" onClick={run} disabled={running} aria-busy={running}>
          {running ? "Applying…" : label}
        </Button>
      )}
    </div>
  );
}
