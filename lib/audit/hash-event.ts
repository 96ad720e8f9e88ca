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

/**
 * Hash version 2 (audit_append in migration 0016 computes it; the two must agree): every field
 * as the text PostgreSQL gives it, in this order, encoded as COPY's text format writes a row. The
 * metadata is its jsonb text, so a verifier hashes the bytes COPY gives it without parsing them.
 */
export interface EncodedEventFields {
  orgId: string | null;
  shard: number;
  seq: number;
  /** YYYY-MM-DDTHH:MM:SS.mmmZ, as audit_append formats the database clock. */
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  branchId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** metadata::text */
  metadataText: string;
  prevHash: string;
}

const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };

/** One field as COPY ... TO STDOUT (text format) writes it: \N for null, seven characters escaped. */
export function copyText(value: string | null): string {
  return value === null ? "\\N" : value.replace(/[\\\b\f\n\r\t\v]/g, (c) => COPY_ESCAPES[c]!);
}

/** The version 2 encoding: "2" and the fields, each as COPY writes it, joined by tabs. */
export function encodeEventV2(fields: ReadonlyArray<string | null>): string {
  return ["2", ...fields].map(copyText).join("\t");
}

/** The version 2 fields in encoding order. */
export function fieldsV2(e: EncodedEventFields): Array<string | null> {
  return [
    e.orgId, String(e.shard), String(e.seq), e.occurredAt, e.actorType, e.actorId, e.actorLabel, e.action, e.targetType, e.targetId,
    e.targetLabel, e.branchId, e.outcome, e.ip, e.userAgent, e.requestId, e.metadataText, e.prevHash,
  ];
}

export function hashEventV2(e: EncodedEventFields): string {
  return createHash("sha256").update(encodeEventV2(fieldsV2(e))).digest("hex");
}
