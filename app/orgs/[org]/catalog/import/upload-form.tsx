"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";

/** Sends the chosen CSV file to the upload route, then opens its preview. */
export function UploadForm({ uploadUrl, previewBase, maxBytes }: { uploadUrl: string; previewBase: string; maxBytes: number }) {
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
        <label htmlFor="catalog-file" className="block text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input id="catalog-file" name="file" type="file" accept=".csv,text/csv" className="mt-1 block text-sm" aria-describedby="catalog-file-hint" />
        <p id="catalog-file-hint" className="mt-1 text-xs text-slate-500">
          UTF-8, with a header row: sku,name and any of description, category, unit, active, price_usd, price_eur… Up to 200,000 rows.
        </p>
      </div>
      <FormAlert message={error} />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Checking the file…" : "Upload and preview"}
      </Button>
    </form>
  );
}
