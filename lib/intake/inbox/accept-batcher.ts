import type { Db } from "@/db/client";
import { runCommand } from "@/lib/core/command";
import type { RequestMeta } from "@/lib/core/context";
import { acceptingPrincipal, acceptMessagesCommand, MAX_ACCEPT_BATCH, type AcceptedMessage } from "./accept-message";
import type { AcceptingChannel } from "./find-accepting-channel";

/**
 * Group commit for acceptance. A payload is written at once when its channel has fewer than
 * MAX_IN_FLIGHT transactions open; otherwise it waits for the next one, together with whatever
 * else arrived meanwhile (up to MAX_ACCEPT_BATCH). A lone request therefore waits for nothing,
 * and under a spike many payloads share one COMMIT, its round trips and its fsync, which is
 * what a durable 202 costs. Every caller still gets its answer only after its own row committed.
 */
const MAX_IN_FLIGHT = 4;

interface Waiting {
  raw: Buffer;
  headers: Record<string, string>;
  meta: RequestMeta;
  resolve(value: AcceptedMessage): void;
  reject(error: unknown): void;
}

interface Lane {
  channel: AcceptingChannel;
  db: Db;
  waiting: Waiting[];
  inFlight: number;
}

const lanes = new Map<string, Lane>();

export function acceptBatched(channel: AcceptingChannel, raw: Buffer, headers: Record<string, string>, meta: RequestMeta, db: Db): Promise<AcceptedMessage> {
  return new Promise((resolve, reject) => {
    let lane = lanes.get(channel.id);
    if (!lane) lanes.set(channel.id, (lane = { channel, db, waiting: [], inFlight: 0 }));
    lane.channel = channel;
    lane.db = db;
    lane.waiting.push({ raw, headers, meta, resolve, reject });
    pump(lane);
  });
}

function pump(lane: Lane): void {
  while (lane.inFlight < MAX_IN_FLIGHT && lane.waiting.length > 0) {
    const batch = lane.waiting.splice(0, MAX_ACCEPT_BATCH);
    lane.inFlight++;
    void write(lane, batch).finally(() => {
      lane.inFlight--;
      if (lane.inFlight === 0 && lane.waiting.length === 0) lanes.delete(lane.channel.id);
      else pump(lane);
    });
  }
}

async function write(lane: Lane, batch: Waiting[]): Promise<void> {
  try {
    const input = { channelId: lane.channel.id, items: batch.map((w) => ({ raw: w.raw, headers: w.headers, requestId: w.meta.requestId, ip: w.meta.ip })) };
    // The first request's meta (address, request id) files the event; each message's own request id and address are in its metadata.
    const results = await runCommand(acceptMessagesCommand, acceptingPrincipal(lane.channel), batch[0]!.meta, input, lane.db);
    batch.forEach((w, i) => w.resolve(results[i]!));
  } catch (error) {
    for (const w of batch) w.reject(error);
  }
}
