import { getDb, type Db } from "@/db/client";
import { processMessage, type ProcessResult } from "../process/process-message";

/**
 * After intake.dead_letter.replayed committed: processes the message at once, so the person sees the
 * outcome. Should processing fail transiently, the message waits in the inbox (`received`) and the
 * stalled-message sweep sends it to a worker; nothing is lost either way. A document-level letter
 * processes only its own document; its corrected payload, if any, is parsed instead of the raw bytes.
 */
export function processReplay(replayed: { messageId: string; documentIndex: number | null; payload: Buffer | null }, db: Db = getDb()): Promise<ProcessResult> {
  return processMessage(replayed.messageId, { db, retryFailed: true, onlyIndex: replayed.documentIndex, payload: replayed.payload ?? undefined });
}
