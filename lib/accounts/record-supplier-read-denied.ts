import { z } from "zod";
import type { Db } from "@/db/client";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";

/** Someone was refused a supplier-scope read (a customer on a supplier-only page or route, or staff without the permission). */
export const recordSupplierReadDeniedCommand = defineCommand({
  name: "supplier.read.denied",
  description: "A read that needs the supplier's staff (accounts, orders across accounts, account prices) was refused: the caller is not the supplier's staff or lacks the permission (in the metadata).",
  access: "authenticated",
  input: z.object({ permission: z.string().max(40), reason: z.string().max(200), what: z.string().max(80) }),
  async run(_ctx, input) {
    return { result: null, outcome: "denied", metadata: input };
  },
});

/** Records the refusal; a failure to record never hides the refusal itself. */
export async function recordSupplierReadDenied(principal: Principal, meta: RequestMeta | undefined, input: { permission: string; reason: string; what: string }, db?: Db): Promise<void> {
  if (principal.actor.type === "anonymous" || principal.actor.type === "system") return;
  await runCommand(recordSupplierReadDeniedCommand, principal, meta ?? { ip: null, userAgent: null, requestId: crypto.randomUUID() }, input, db).catch((error: unknown) => {
    console.error("could not record a refused supplier read", error);
  });
}
