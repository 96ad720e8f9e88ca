import { runCommand } from "@/lib/core/command";
import { MAX_MEMBER_IMPORT_BYTES } from "@/lib/identity/import/parse-member-csv";
import { previewMemberImportCommand } from "@/lib/identity/import/preview-member-import";
import { answerCsvUpload } from "../../../csv-upload";

export const dynamic = "force-dynamic";

/** POST the members CSV as the body: the preview step of an import (member.import.previewed). */
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const { org } = await params;
  return answerCsvUpload(request, org, { what: "members", maxBytes: MAX_MEMBER_IMPORT_BYTES, preview: (principal, meta, input) => runCommand(previewMemberImportCommand, principal, meta, input) });
}
