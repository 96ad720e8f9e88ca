import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { holdsAnywhere } from "@/lib/access/access";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";

/** Records a member who tried to read the audit trail without audit:read (reads run no command). */
export const recordAuditReadDeniedCommand = defineCommand({
  name: "audit.read.denied",
  description: "A member without audit:read tried to read the audit trail (page, API, verification or export): outcome \"denied\", with the resource they asked for.",
  access: "authenticated",
  input: z.object({ resource: z.string().max(100) }),
  async run(_ctx, input) {
    return { result: null, outcome: "denied", metadata: { resource: input.resource } };
  },
});

/**
 * The gate of every audit read (page, API, export): without audit:read anywhere, the attempt is
 * recorded and refused. Which events a reader then sees is narrowed by visibleAuditCondition.
 */
export async function requireAuditReader(principal: Principal, meta: RequestMeta, resource: string, db: Db = getDb()): Promise<void> {
  if (holdsAnywhere(principal.access, "audit:read")) return;
  await runCommand(recordAuditReadDeniedCommand, principal, meta, { resource }, db);
  throw new ForbiddenError("You need the audit:read permission to see the audit trail.", "audit:read");
}
