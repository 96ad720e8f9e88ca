import type { SendOptions } from "pg-boss";

// How an intake.process job is sent, by acceptance and by the worker's own retries: grouped by channel,
// so pg-boss's group concurrency gives each channel (each sender's pipe) a bounded share of the
// workers, and one channel's flood queues behind itself instead of in front of everyone else.

export type IntakeJobData = { messageId: string };

export function intakeJobOptions(channelId: string, startAfterSeconds?: number): SendOptions {
  return {
    group: { id: channelId },
    // Our own retries (attempts, backoff with jitter, dead letter) are in the inbox row; pg-boss's are
    // the backstop for a worker that died holding the job (it expires, then runs again).
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 300,
    ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}),
  };
}
