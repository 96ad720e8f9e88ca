import { z } from "zod";
import { defineCommand } from "@/lib/core/command";
import { auditExportFormats, auditFiltersSchema } from "./schemas";

/**
 * Records an export of the trail before its first byte is sent: a bulk copy leaving the system is
 * a sensitive act, so it is on the record even if the download is then abandoned.
 */
export const recordAuditExportCommand = defineCommand({
  name: "audit.exported",
  description: "The audit trail was exported, recorded before the first row is sent: the format (csv or jsonl) and the filters used.",
  access: { permission: "audit:read" },
  // A refused export is the same kind of event as any other refused audit read.
  deniedAction: "audit.read.denied",
  // A bulk copy leaving the system: a person needs a second factor within the step-up window.
  // A SIEM pulling with an API token passes (creating that token needed a step-up itself).
  stepUp: { kind: "mfa", apiTokens: "allow" },
  input: z.object({ format: z.enum(auditExportFormats), filters: auditFiltersSchema }),
  async run(_ctx, input) {
    return { result: null, outcome: "success", metadata: { format: input.format, filters: input.filters } };
  },
});
