import { createHash, randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { intakeMessages } from "@/db/schema";
import { noAccess } from "@/lib/access/access";
import { defineCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import type { AcceptingChannel } from "./find-accepting-channel";
import { sendIntakeJob } from "./intake-job-sender";

/** The channel as the actor of its own acceptance: no permissions, only its supplier's org. */
export function acceptingPrincipal(channel: AcceptingChannel): Principal {
  return {
    actor: { type: "channel", channelId: channel.id, label: `channel ${channel.name}`.slice(0, 200) },
    org: { id: channel.orgId, slug: "", name: "" },
    membershipId: null,
    access: noAccess,
  };
}

// The bytes are not validated here on purpose: acceptance stores what arrived, parsing is the worker's.
const acceptInput = z.object({
  channelId: z.uuid(),
  raw: z.instanceof(Buffer),
  headers: z.record(z.string(), z.string()),
});

export interface AcceptedMessage {
  id: string;
  status: "received" | "processing" | "done" | "dead_letter";
  /** True when these exact bytes had been accepted on this channel before: the same id, no new job. */
  duplicate: boolean;
}

/** Thrown inside the transaction when the bytes were there already: it rolls back the job sent beside the insert. */
export class AlreadyAcceptedSignal extends Error {}

/**
 * Stores one payload in the durable inbox and enqueues its processing, in one transaction, so
 * an acknowledged payload always has its row and its job (docs/adr/0026). The id is chosen here,
 * so the insert and the pg-boss send go out together without waiting on each other (one round
 * trip, not two). When the same bytes were already accepted on this channel the insert does
 * nothing, and the transaction is rolled back (the job with it): a re-send writes nothing, and
 * the caller answers the existing message (findAcceptedMessage).
 */
export const acceptMessageCommand = defineCommand({
  name: "intake.message.accepted",
  description: "An intake channel's payload was stored in the inbox and queued (its size and SHA-256). A re-send of the same bytes writes nothing and records nothing.",
  access: "authenticated",
  input: acceptInput,
  async run({ tx, principal }, input) {
    const orgId = principal.org!.id;
    const id = randomUUID();
    const rawSha256 = createHash("sha256").update(input.raw).digest("hex");
    const insert = tx
      .insert(intakeMessages)
      .values({ id, orgId, channelId: input.channelId, raw: input.raw, rawSha256, headers: input.headers })
      .onConflictDoNothing({ target: [intakeMessages.channelId, intakeMessages.rawSha256] })
      .returning({ id: intakeMessages.id, status: intakeMessages.status });
    const [[inserted]] = await Promise.all([insert, sendIntakeJob(tx, id, input.channelId)]);
    if (!inserted) throw new AlreadyAcceptedSignal();
    const result: AcceptedMessage = { ...inserted, duplicate: false };
    return {
      result,
      target: { type: "intake_message", id },
      metadata: { channelId: input.channelId, bytes: input.raw.byteLength, sha256: rawSha256 },
    };
  },
});

/** The message these exact bytes became on this channel (the answer to a re-send). */
export async function findAcceptedMessage(tx: Tx, channelId: string, raw: Buffer): Promise<AcceptedMessage | null> {
  const rawSha256 = createHash("sha256").update(raw).digest("hex");
  const [row] = await tx
    .select({ id: intakeMessages.id, status: intakeMessages.status })
    .from(intakeMessages)
    .where(and(eq(intakeMessages.channelId, channelId), eq(intakeMessages.rawSha256, rawSha256)));
  return row ? { ...row, duplicate: true } : null;
}
