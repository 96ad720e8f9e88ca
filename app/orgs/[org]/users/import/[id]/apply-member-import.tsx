"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import type { MemberImportProgress } from "@/lib/identity/import/apply-member-import-batch";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";

/**
 * Applies a members import batch after batch (one audited command each) with a progress bar.
 * Leaving the page stops it; pressing the button again continues where it stopped.
 */
export function ApplyMemberImport({ applyBatch, initial, label }: { applyBatch: () => Promise<ActionResult<MemberImportProgress>>; initial: MemberImportProgress; label: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);
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
        <p className="mt-1 text-sm text-slate-600" aria-live="polite" data-testid="member-import-progress">
          {progress.appliedRows} of {progress.validRows} rows applied ({progress.invited} invited, {progress.skipped} already members, {progress.failed} refused)
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
