import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { intakeDocuments, intakeMessages } from "@/db/schema";
import { can } from "@/lib/access/access";
import { findSupplier } from "@/lib/accounts/find-supplier";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";
import type { z } from "zod";
import type { messageDocumentSchema, messageViewSchema } from "./schemas";

export type MessageDocumentView = z.infer<typeof messageDocumentSchema>;
/** Issue 14's read-back shape, exactly: `{ id, channelId, status, documents }` (schemas.ts). */
export type MessageView = z.infer<typeof messageViewSchema>;

/**
 * Only the supplier's members read intake messages; a message of another org, or an id that
 * names nothing, is 404 (the org filter and row-level security both stand in the way).
 */
async function assertSupplierMember(tx: Tx, principal: Principal): Promise<string> {
  const supplier = await findSupplier(tx);
  if (!supplier || principal.org?.id !== supplier.id) throw new NotFoundError("Message");
  return supplier.id;
}

export async function readMessage(tx: Tx, principal: Principal, messageId: string): Promise<MessageView> {
  const orgId = await assertSupplierMember(tx, principal);
  const [message] = await tx
    .select({ id: intakeMessages.id, channelId: intakeMessages.channelId, status: intakeMessages.status })
    .from(intakeMessages)
    .where(and(eq(intakeMessages.id, messageId), eq(intakeMessages.orgId, orgId)));
  if (!message) throw new NotFoundError("Message");
  const documents = await tx
    .select({ index: intakeDocuments.index, documentNumber: intakeDocuments.documentNumber, status: intakeDocuments.status, orderId: intakeDocuments.orderId, flags: intakeDocuments.flags, reason: intakeDocuments.reason })
    .from(intakeDocuments)
    .where(and(eq(intakeDocuments.messageId, message.id), eq(intakeDocuments.orgId, orgId)))
    .orderBy(asc(intakeDocuments.index));
  return {
    ...message,
    documents: documents.map((d) => ({
      index: d.index,
      documentNumber: d.documentNumber,
      status: d.status,
      ...(d.orderId ? { orderId: d.orderId } : {}),
      flags: d.flags,
      ...(d.reason ? { reason: { code: d.reason.code, message: d.reason.message, location: d.reason.location ?? null } } : {}),
    })),
  };
}

export interface RawMessage {
  raw: Buffer;
  contentType: string | null;
  sha256: string;
}

/** The stored bytes, under intake:manage at the supplier's root only (security checklist: raw payloads). */
export async function readRawMessage(tx: Tx, principal: Principal, messageId: string): Promise<RawMessage> {
  const orgId = await assertSupplierMember(tx, principal);
  const [row] = await tx
    .select({ raw: intakeMessages.raw, headers: intakeMessages.headers, sha256: intakeMessages.rawSha256 })
    .from(intakeMessages)
    .where(and(eq(intakeMessages.id, messageId), eq(intakeMessages.orgId, orgId)));
  if (!row) throw new NotFoundError("Message");
  if (!can(principal.access, "intake:manage", "")) throw new ForbiddenError(undefined, "intake:manage");
  return { raw: Buffer.from(row.raw), contentType: row.headers["content-type"] ?? null, sha256: row.sha256 };
}
