import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";

/** The previous hash of the first event in a chain. */
export const GENESIS_HASH = "0".repeat(64);

/** Every field of an event that its hash covers (all of them but the row id and its own hash). */
export interface HashedEventFields {
  orgId: string | null;
  seq: number;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  branchId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  prevHash: string;
}

/** SHA-256 over the canonical encoding of the event's fields, the previous hash included. */
export function hashEvent(e: HashedEventFields): string {
  const encoded = canonicalJson({
    v: 1,
    orgId: e.orgId,
    seq: e.seq,
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    branchId: e.branchId,
    outcome: e.outcome,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    metadata: e.metadata,
    prevHash: e.prevHash,
  });
  return createHash("sha256").update(encoded).digest("hex");
}
