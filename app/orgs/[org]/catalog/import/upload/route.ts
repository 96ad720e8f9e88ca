import { runCommand } from "@/lib/core/command";
import { MAX_IMPORT_BYTES } from "@/lib/catalog/import/parse-catalog-csv";
import { previewCatalogImportCommand } from "@/lib/catalog/import/preview-catalog-import";
import { answerCsvUpload } from "../../../csv-upload";

export const dynamic = "force-dynamic";

/** POST the catalog CSV as the body: the preview step of an import; the same command as `npm run cli -- catalog import`. */
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const { org } = await params;
  return answerCsvUpload(request, org, { what: "catalog", maxBytes: MAX_IMPORT_BYTES, preview: (principal, meta, input) => runCommand(previewCatalogImportCommand, principal, meta, input) });
}
