import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { orders } from "@/db/schema";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { isUuid } from "@/lib/core/ids";
import { readAs } from "@/lib/core/read-as";

/** An order of the org exists but the member may not see it: the 404 they got is a denial. */
export const recordOrderReadDeniedCommand = defineCommand({
  name: "order.read.denied",
  description: "A member asked for an order of their organization outside what they may read; they were answered \"not found\" and the attempt is recorded as denied.",
  access: "authenticated",
  input: z.object({ orderId: z.uuid(), via: z.enum(["dashboard", "api"]) }),
  async run(_ctx, input) {
    return { result: null, outcome: "denied", target: { type: "order", id: input.orderId }, metadata: { via: input.via } };
  },
});

/**
 * Called after a not-found order read: when the id is a real order of the principal's own org,
 * the miss was access control, and it is recorded (another org's ids stay invisible entirely).
 */
export async function recordOrderReadDenialIfHidden(principal: Principal, meta: RequestMeta, orderId: string, via: "dashboard" | "api", db: Db = getDb()): Promise<void> {
  const orgId = principal.org?.id;
  if (!orgId || !isUuid(orderId)) return;
  const [row] = await readAs(principal, (tx) => tx.select({ id: orders.id }).from(orders).where(and(eq(orders.orgId, orgId), eq(orders.id, orderId))), db);
  if (row) await runCommand(recordOrderReadDeniedCommand, principal, meta, { orderId, via }, db);
}
