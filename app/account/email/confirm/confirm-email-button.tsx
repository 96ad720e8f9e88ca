"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";

/**
 * A button, not an automatic change on opening the page: mail scanners open links too, and must
 * not use them up.
 */
export function ConfirmEmailButton({ action, newEmail }: { action: () => Promise<ActionResult<{ email: string }>>; newEmail: string }) {
  const [result, setResult] = useState<ActionResult<{ email: string }> | null>(null);
  const [pending, startTransition] = useTransition();
  if (result?.ok) {
    return (
      <div className="mt-6 space-y-4">
        <Notice>Done: you now sign in as {result.data.email}.</Notice>
        <Link href="/account/security" className="text-sm text-brand-700 underline">
          Go to your Security page
        </Link>
      </div>
    );
  }
  return (
    <div className="mt-6 space-y-4">
      <FormAlert message={result && !result.ok ? result.error : null} />
      <Button type="button" className="w-full" disabled={pending} aria-busy={pending} onClick={() => startTransition(async () => setResult(await action()))}>
        {pending ? "Changing…" : `Use ${newEmail} to sign in`}
      </Button>
    </div>
  );
}
