import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { memberImportRows, memberImports, memberships, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { AppError, ConflictError, MfaRequiredError, StepUpRequiredError } from "@/lib/core/errors";
import { addMember } from "../create-member";

export const APPLY_BATCH_ROWS = 250;

export const applyMemberImportBatchSchema = z.object({ importId: z.uuid({ message: "must be an import id" }) });

export interface MemberImportProgress {
  validRows: number;
  appliedRows: number;
  invited: number;
  skipped: number;
  failed: number;
  done: boolean;
}

/**
 * Applies the next batch of an import's valid rows, in one transaction and one event: each row
 * invites its person with its role at its branch through addMember, the body of member.created,
 * with source "import". Idempotent per email: someone already a member (this file applied
 * before, or added since) is skipped, not invited twice. A row the actor may not add (a role they
 * cannot hand out there) is marked failed with the reason and the others go on. The invitations
 * are returned for the caller to mail once the batch has committed.
 */
export const applyMemberImportBatchCommand = defineCommand({
  name: "member.import.batch.applied",
  description: "A batch of up to 250 rows of a members CSV import was applied: `invited` new members (their emails in `emails`), `skipped` already members, `failed` refused (the reason is on the row). One event per batch.",
  access: { permission: "users:manage" },
  input: applyMemberImportBatchSchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    const orgId = principal.org?.id ?? notFound("Organization");
    // One batch at a time per import: a second tab waits here and then finds the next rows.
    const [imp] = await tx.select().from(memberImports).where(and(eq(memberImports.orgId, orgId), eq(memberImports.id, input.importId))).for("update");
    if (!imp) notFound("Import");
    const rows = await tx
      .select({ rowNo: memberImportRows.rowNo, data: memberImportRows.data })
      .from(memberImportRows)
      .where(and(eq(memberImportRows.importId, imp.id), isNull(memberImportRows.errors), isNull(memberImportRows.outcome)))
      .orderBy(asc(memberImportRows.rowNo))
      .limit(APPLY_BATCH_ROWS);
    const invitations: Array<{ to: string; message: { subject: string; text: string; html: string; link: string } }> = [];
    const emails: string[] = [];
    let invited = 0;
    let skipped = 0;
    let failed = 0;
    for (const row of rows) {
      const data = row.data!;
      const [already] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), eq(sql`lower(${users.email})`, data.email.toLowerCase())));
      let outcome: "invited" | "skipped" | "failed" = "skipped";
      let errors: Array<{ column: string; message: string }> | null = null;
      if (!already) {
        try {
          const created = await addMember(ctx, { email: data.email, name: data.name, roleName: data.roleName, branchId: data.branchId }, "import");
          if (created.result.invitation) invitations.push(created.result.invitation);
          emails.push(data.email);
          outcome = "invited";
        } catch (error) {
          // Refusals decided before anything is written (addMember checks, then writes); a step-up
          // or an unexpected failure ends the batch, and it is tried again as a whole.
          if (!(error instanceof AppError) || error instanceof StepUpRequiredError || error instanceof MfaRequiredError) throw error;
          outcome = error instanceof ConflictError ? "skipped" : "failed";
          errors = outcome === "failed" ? [{ column: error instanceof AppError && "field" in error && typeof error.field === "string" ? error.field : "role", message: error.message }] : null;
        }
      }
      if (outcome === "invited") invited += 1;
      else if (outcome === "skipped") skipped += 1;
      else failed += 1;
      await tx.update(memberImportRows).set({ outcome, errors }).where(and(eq(memberImportRows.importId, imp.id), eq(memberImportRows.rowNo, row.rowNo)));
    }
    const [pending] = await tx.select({ n: sql<number>`count(*)::int` }).from(memberImportRows).where(and(eq(memberImportRows.importId, imp.id), isNull(memberImportRows.errors), isNull(memberImportRows.outcome)));
    const done = (pending?.n ?? 0) === 0;
    const [after] = await tx
      .update(memberImports)
      .set({
        appliedRows: sql`${memberImports.appliedRows} + ${rows.length}`,
        invitedCount: sql`${memberImports.invitedCount} + ${invited}`,
        skippedCount: sql`${memberImports.skippedCount} + ${skipped}`,
        failedCount: sql`${memberImports.failedCount} + ${failed}`,
        status: done ? "applied" : "applying",
        finishedAt: done ? sql`now()` : null,
      })
      .where(eq(memberImports.id, imp.id))
      .returning();
    const progress: MemberImportProgress = { validRows: after!.totalRows - after!.errorRows, appliedRows: after!.appliedRows, invited: after!.invitedCount, skipped: after!.skippedCount, failed: after!.failedCount, done };
    return {
      result: { progress, invitations },
      target: { type: "member_import", id: imp.id },
      metadata: { rows: rows.length, invited, skipped, failed, emails, done },
    };
  },
});
