"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "./button";

/** Sends the chosen CSV file to an import's upload route, then opens its preview (catalog and members imports). */
export function UploadForm({ uploadUrl, previewBase, maxBytes, hint, inputId = "csv-file" }: { uploadUrl: string; previewBase: string; maxBytes: number; hint: string; inputId?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = (new FormData(event.currentTarget).get("file") as File | null) ?? null;
    if (!file || file.size === 0) return setError("Choose a CSV file first.");
    if (file.size > maxBytes) return setError(`The file is larger than ${maxBytes / 1024 / 1024} MiB; split it into smaller files.`);
    setPending(true);
    setError(null);
    try {
      const response = await fetch(uploadUrl, { method: "POST", body: file, headers: { "content-type": "text/csv", "x-file-name": encodeURIComponent(file.name) } });
      const result = (await response.json().catch(() => null)) as { ok: boolean; error?: string; data?: { id: string } } | null;
      if (!result?.ok || !result.data) return setError(result?.error ?? `The upload failed (HTTP ${response.status}).`);
      router.push(`${previewBase}/${result.data.id}`);
    } catch {
      setError("The upload did not reach the server. Check the connection and try again.");
    } finally {
      setPending(false);
    }
  }
  return (
    <form onSubmit={onSubmit} className="space-y-3">
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input id={inputId} name="file" type="file" accept=".csv,text/csv" className="mt-1 block text-sm" aria-describedby={`${inputId}-hint`} />
        <p id={`${inputId}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      </div>
      <FormAlert message={error} />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Checking the file…" : "Upload and preview"}
      </Button>
    </form>
  );
}
