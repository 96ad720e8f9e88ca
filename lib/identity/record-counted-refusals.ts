import { randomUUID } from "node:crypto";
import { and, eq, gt, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { refusalTallies } from "@/db/schema";
import { defineCommand, runCommand } from "@/lib/core/command";
import type { RequestMeta } from "@/lib/core/context";
import { NotFoundError } from "@/lib/core/errors";
import { instantSchema } from "@/lib/core/input-rules";
import { systemPrincipal } from "@/lib/core/system-principal";
import { listQuietTallies, REFUSAL_WINDOW_SECONDS, refusalRules, type ClosedTally, type RefusalKind } from "./refusal-tally";

const kinds = Object.keys(refusalRules) as [RefusalKind, ...RefusalKind[]];

/**
 * Moves a closed window's counted refusals into the audit trail as one event: the tally row is
 * deleted in the transaction that appends the event, so a count is recorded exactly once even
 * when two nodes (or a request and the periodic job) try at the same time.
 */
export const recordCountedRefusalsCommand = defineCommand({
  name: "auth.refusals.counted",
  description:
    "Anonymous refusals counted instead of recorded one by one, for one client address and a closed window (`windowStart` to `windowEnd`, UTC): `refusal` is the action they stand for (auth.api-token.rejected, auth.password_reset.requested), `count` how many, `throttled` whether they were answered 429 past the address's limit (otherwise they repeated a refusal already recorded in that window), and the refusal's own detail (a token's public prefix). Outcome \"denied\", filed under no organization, with the address as the event's IP (an IPv6 address by its /64).",
  access: "system",
  input: z.object({ kind: z.enum(kinds), address: z.string().max(100), windowStart: instantSchema, throttled: z.boolean(), detail: z.string().max(4000) }),
  async run({ tx }, input) {
    const [row] = await tx
      .delete(refusalTallies)
      .where(
        and(
          eq(refusalTallies.kind, input.kind),
          eq(refusalTallies.address, input.address),
          eq(refusalTallies.windowStart, input.windowStart),
          eq(refusalTallies.throttled, input.throttled),
          eq(refusalTallies.detail, input.detail),
          gt(refusalTallies.unrecorded, 0),
          // Never a window still counting.
          lt(refusalTallies.windowStart, sql`date_bin(make_interval(secs => ${REFUSAL_WINDOW_SECONDS}), now(), timestamptz '1970-01-01')`),
        ),
      )
      .returning({ unrecorded: refusalTallies.unrecorded });
    // Someone else recorded these first: nothing to append (the caller ignores this).
    if (!row) throw new NotFoundError("Counted refusals");
    const windowEnd = new Date(input.windowStart.getTime() + REFUSAL_WINDOW_SECONDS * 1000);
    const detail = input.detail ? (JSON.parse(input.detail) as Record<string, unknown>) : {};
    return {
      result: { count: row.unrecorded },
      actor: { type: "anonymous", label: refusalRules[input.kind].actorLabel },
      outcome: "denied",
      metadata: { refusal: input.kind, count: row.unrecorded, windowStart: input.windowStart.toISOString(), windowEnd: windowEnd.toISOString(), throttled: input.throttled, ...detail },
    };
  },
});

/** Records each closed window's counts; a window another process recorded first is skipped. */
export async function recordCountedRefusals(db: Db, closed: ClosedTally[]): Promise<number> {
  let recorded = 0;
  for (const tally of closed) {
    try {
      await runCommand(recordCountedRefusalsCommand, systemPrincipal("refusal tally"), metaFor(tally.address), tally, db);
      recorded++;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return recorded;
}

/** For the launcher's periodic job: records the windows that closed with no refusal after them. */
export async function recordQuietRefusals(db: Db): Promise<number> {
  return recordCountedRefusals(db, await listQuietTallies(db));
}

// The event stands for many requests: it carries their address, and no one request's id or agent.
function metaFor(address: string): RequestMeta {
  return { ip: address || null, userAgent: null, requestId: randomUUID() };
}
