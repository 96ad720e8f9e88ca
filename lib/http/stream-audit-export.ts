import { getDb, type Db, type Executor } from "@/db/client";
import { readAs } from "@/lib/core/read-as";
import { exportAuditCsv, exportAuditJsonl, takeAuditExportSnapshot, type AuditExportSnapshot } from "@/lib/audit/export-audit-events";
import { recordAuditExportCommand } from "@/lib/audit/record-export";
import type { AuditExportFormat, AuditFilters } from "@/lib/audit/schemas";
import { runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { readUntil, toByteStream } from "./byte-stream";

const contentTypes: Record<AuditExportFormat, string> = { csv: "text/csv; charset=utf-8; header=present", jsonl: "application/x-ndjson; charset=utf-8" };

/**
 * Answers an export request, for the dashboard and the API alike: the export is recorded first
 * (so it is on the record even if the download is abandoned), then the rows stream in keyset
 * batches as the client reads them. The checkpoint is in the body and, for convenience, in headers.
 *
 * Nothing is answered before the filters have been validated (by the command) and the first
 * batch has been read: a filter PostgreSQL refuses is then an error response, not a 200 whose
 * body stops after the header line.
 */
export async function streamAuditExport(principal: Principal, meta: RequestMeta, format: AuditExportFormat, filters: AuditFilters, db: Db = getDb()): Promise<Response> {
  await runCommand(recordAuditExportCommand, principal, meta, { format, filters }, db);
  // Each batch reads in its own transaction scoped to the principal (row-level security).
  let reads = 0;
  const read = async <T,>(fn: (tx: Executor) => Promise<T>) => {
    const result = await readAs(principal, fn, db);
    reads++;
    return result;
  };
  const snapshot = await read((tx) => takeAuditExportSnapshot(tx, principal));
  const chunks = format === "csv" ? exportAuditCsv(db, principal, filters, { snapshot, read }) : exportAuditJsonl(db, principal, filters, { snapshot, read });
  // The generator reads nothing until its header is taken; the first read after the snapshot
  // (the filter conditions, then the first batch) completes before the chunk that follows it.
  const head = await readUntil(chunks, () => reads > 1);
  return new Response(toByteStream(head, chunks, meta, "audit export"), {
    headers: {
      "Content-Type": contentTypes[format],
      "Content-Disposition": `attachment; filename="${exportFileName(principal.org!.slug, format)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...checkpointHeaders(snapshot),
    },
  });
}

function checkpointHeaders(snapshot: AuditExportSnapshot): Record<string, string> {
  const cp = snapshot.checkpoint;
  const headers: Record<string, string> = { "X-Audit-Through-Seq": String(snapshot.throughSeq) };
  if (!cp) return headers;
  return {
    ...headers,
    "X-Audit-Checkpoint-Seq": String(cp.seq),
    "X-Audit-Checkpoint-Hash": cp.hash,
    "X-Audit-Checkpoint-Signed-At": cp.signedAt,
    "X-Audit-Checkpoint-Key-Id": cp.keyId,
    "X-Audit-Checkpoint-Signature": cp.signature,
  };
}

/** "audit-acme-20260501T093000Z.csv": the org and the moment, in characters safe in any header. */
export function exportFileName(orgSlug: string, format: AuditExportFormat, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  return `audit-${orgSlug.replace(/[^a-z0-9-]/gi, "_")}-${stamp}.${format}`;
}
