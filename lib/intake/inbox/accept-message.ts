import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
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

/**
 * Stores one payload in the durable inbox and enqueues its processing, in one transaction, so
 * an acknowledged payload always has its row and its job (docs/adr/0026). The same bytes on
 * the same channel answer the existing message, and enqueue nothing.
 */
export const acceptMessageCommand = defineCommand({
  name: "intake.message.accepted",
  description: "An intake channel's payload was stored in the inbox and queued (its size and SHA-256; a re-send of the same bytes says duplicate).",
  access: "authenticated",
  input: acceptInput,
  async run({ tx, principal }, input) {
    const orgId = principal.org!.id;
    const rawSha256 = createHash("sha256").update(input.raw).digest("hex");
    const [inserted] = await tx
      .insert(intakeMessages)
      .values({ orgId, channelId: input.channelId, raw: input.raw, rawSha256, headers: input.headers })
      .onConflictDoNothing({ target: [intakeMessages.channelId, intakeMessages.rawSha256] })
      .returning({ id: intakeMessages.id, status: intakeMessages.status });
    let result: AcceptedMessage;
    if (inserted) {
      await sendIntakeJob(tx, inserted.id, input.channelId);
      result = { ...inserted, duplicate: false };
    } else {
      const [existing] = await tx
        .select({ id: intakeMessages.id, status: intakeMessages.status })
        .from(intakeMessages)
        .where(and(eq(intakeMessages.channelId, input.channelId), eq(intakeMessages.rawSha256, rawSha256)));
      result = { ...existing!, duplicate: true };
    }
    return {
      result,
      target: { type: "intake_message", id: result.id },
      metadata: { channelId: input.channelId, bytes: input.raw.byteLength, sha256: rawSha256, duplicate: result.duplicate },
    };
  },
});
