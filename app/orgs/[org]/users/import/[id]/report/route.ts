import { readAs } from "@/lib/core/read-as";
import { getMemberImport, listMemberImportRows } from "@/lib/identity/import/read-member-imports";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { loadViewer } from "../../../../../../load-viewer";

export const dynamic = "force-dynamic";

// A cell as CSV writes it; a leading = + - @ is prefixed so a spreadsheet never runs it as a formula.
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * GET: the import's result report, one line per row (row, email, outcome, errors), streamed in
 * pages of 1,000 rows by row number, so a 100,000-row import never sits in memory. Checked
 * before the first byte: someone who may not see the import gets 404.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }): Promise<Response> {
  const viewer = await loadViewer();
  const { org, id } = await params;
  const principal = viewer ? await loadSessionPrincipal(viewer, org) : null;
  const summary = principal ? await readAs(principal, (tx) => getMemberImport(tx, principal, id)) : null;
  if (!principal || !summary) return new Response("Not found.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  const encoder = new TextEncoder();
  let after = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode("row,email,outcome,errors\r\n"));
      }
      const rows = await readAs(principal, (tx) => listMemberImportRows(tx, principal.org!.id, id, { afterRowNo: after, limit: 1000 }));
      if (rows.length === 0) return controller.close();
      after = rows[rows.length - 1]!.rowNo;
      const outcome = (r: (typeof rows)[number]) => r.outcome ?? (r.errors ? "not imported" : "pending");
      controller.enqueue(encoder.encode(rows.map((r) => [String(r.rowNo), cell(r.email ?? ""), outcome(r), cell((r.errors ?? []).map((e) => `${e.column}: ${e.message}`).join("; "))].join(",") + "\r\n").join("")));
    },
  });
  const name = summary.fileName.replace(/[^\w.-]+/g, "_").replace(/\.csv$/i, "");
  return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}-result.csv"`, "cache-control": "no-store" } });
}
