import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { intakeMessages } from "@/db/schema";
import { noAccess } from "@/lib/access/access";
import { defineCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import type { AcceptingChannel } from "./find-accepting-channel";
import { sendIntakeJobs, withdrawIntakeJobs } from "./intake-job-sender";

/** The channel as the actor of its own acceptance: no permissions, only its supplier's org. */
export function acceptingPrincipal(channel: AcceptingChannel): Principal {
  return {
    actor: { type: "channel", channelId: channel.id, label: `channel ${channel.name}`.slice(0, 200) },
    org: { id: channel.orgId, slug: "", name: "" },
    membershipId: null,
    access: noAccess,
  };
}

/** At most this many payloads share one transaction (accept-batcher.ts fills batches up to it). */
export const MAX_ACCEPT_BATCH = 128;

// The bytes are not validated here on purpose: acceptance stores what arrived, parsing is the worker's.
const acceptInput = z.object({
  channelId: z.uuid(),
  items: z
    .array(z.object({ raw: z.instanceof(Buffer), headers: z.record(z.string(), z.string()), requestId: z.string().max(200), ip: z.string().max(100).nullable().default(null) }))
    .min(1)
    .max(MAX_ACCEPT_BATCH),
});

export interface AcceptedMessage {
  id: string;
  status: "received" | "processing" | "done" | "dead_letter";
  /** True when these exact bytes had been accepted on this channel before: the same id, no new job. */
  duplicate: boolean;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * Stores payloads of one channel in the durable inbox and enqueues one job per new message, in
 * one transaction, so an acknowledged payload always has its row and its job (docs/adr/0026).
 * Several payloads arriving together share the transaction (and its COMMIT, the cost of
 * durability) and one audit event that lists each message. The same bytes on the same channel
 * (earlier, or twice in this batch) are one message: they answer its id and enqueue nothing more.
 */
export const acceptMessagesCommand = defineCommand({
  name: "intake.messages.accepted",
  description: "Payloads of an intake channel were stored in the inbox and queued; metadata lists each new message (id, size, SHA-256, request id, sender IP: a batch's event carries the first request's address, so each message keeps its own) and counts re-sent duplicates.",
  access: "authenticated",
  input: acceptInput,
  async run({ tx, principal }, input) {
    const orgId = principal.org!.id;
    const hashes = input.items.map((item) => sha256(item.raw));
    const firstOf = new Map<string, number>();
    hashes.forEach((hash, i) => firstOf.has(hash) || firstOf.set(hash, i));
    const fresh = [...firstOf.values()].map((i) => ({ id: randomUUID(), orgId, channelId: input.channelId, raw: input.items[i]!.raw, rawSha256: hashes[i]!, headers: input.items[i]!.headers }));
    // Sent together, without waiting on each other (one round trip): the rows, and a job per row
    // whose id is the message id. Bytes that were here already insert nothing; their jobs are
    // withdrawn in this same transaction, so nothing of them is ever visible.
    const insert = tx
      .insert(intakeMessages)
      .values(fresh)
      .onConflictDoNothing({ target: [intakeMessages.channelId, intakeMessages.rawSha256] })
      .returning({ id: intakeMessages.id, status: intakeMessages.status, rawSha256: intakeMessages.rawSha256 });
    const [inserted] = await Promise.all([insert, sendIntakeJobs(tx, fresh.map((row) => row.id), input.channelId)]);
    const byHash = new Map(inserted.map((row) => [row.rawSha256, { id: row.id, status: row.status, duplicate: false }]));
    const known = [...firstOf.keys()].filter((hash) => !byHash.has(hash));
    if (known.length > 0) {
      const insertedIds = new Set(inserted.map((row) => row.id));
      const [existing] = await Promise.all([
        tx
          .select({ id: intakeMessages.id, status: intakeMessages.status, rawSha256: intakeMessages.rawSha256 })
          .from(intakeMessages)
          .where(and(eq(intakeMessages.channelId, input.channelId), inArray(intakeMessages.rawSha256, known))),
        withdrawIntakeJobs(tx, fresh.filter((row) => !insertedIds.has(row.id)).map((row) => row.id)),
      ]);
      for (const row of existing) byHash.set(row.rawSha256, { id: row.id, status: row.status, duplicate: true });
    }
    const seen = new Set<string>();
    const results: AcceptedMessage[] = hashes.map((hash) => {
      const found = byHash.get(hash)!;
      // The second copy within one batch is a re-send too.
      const result = seen.has(hash) ? { ...found, duplicate: true } : found;
      seen.add(hash);
      return result;
    });
    const fresher = new Set(inserted.map((row) => row.id));
    return {
      result: results,
      target: { type: "intake_channel", id: input.channelId },
      metadata: {
        messages: input.items.flatMap((item, i) => (fresher.has(results[i]!.id) && !results[i]!.duplicate ? [{ id: results[i]!.id, bytes: item.raw.byteLength, sha256: hashes[i], requestId: item.requestId, ip: item.ip }] : [])),
        duplicates: results.filter((r) => r.duplicate).length,
      },
    };
  },
});
