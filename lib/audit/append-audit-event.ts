import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { Actor, RequestMeta } from "@/lib/core/context";

export type AuditOutcome = "success" | "denied" | "failure";

export interface AuditEventInput {
  orgId: string | null;
  actor: Actor;
  action: string;
  target?: { type: string; id: string } | undefined;
  outcome: AuditOutcome;
  meta: RequestMeta;
  metadata?: Record<string, unknown> | undefined;
}

/** Appends one event on the given executor, so it commits or rolls back with the change. */
export async function appendAuditEvent(db: Executor, event: AuditEventInput): Promise<void> {
  await db.insert(auditEvents).values({
    orgId: event.orgId,
    actorType: event.actor.type,
    actorId: actorIdOf(event.actor),
    actorLabel: event.actor.label,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    outcome: event.outcome,
    ip: event.meta.ip,
    userAgent: event.meta.userAgent,
    requestId: event.meta.requestId,
    metadata: event.metadata ?? {},
  });
}

function actorIdOf(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "api-token") return actor.tokenId;
  return null;
}
