import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { branches, memberImportRows, memberImports, roles } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { MAX_MEMBER_IMPORT_BYTES, parseMemberCsv, type MemberCsvContext, type ParsedMemberRow } from "./parse-member-csv";

const STAGE_BATCH = 1000;

export const previewMemberImportSchema = z.object({
  fileName: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  content: z.instanceof(Uint8Array, { message: "must be the file's bytes" }).refine((c) => c.byteLength <= MAX_MEMBER_IMPORT_BYTES, { message: `must be at most ${MAX_MEMBER_IMPORT_BYTES / 1024 / 1024} MiB` }),
});

/**
 * Step one of a members CSV import: reads the file row by row, checks every row against the
 * org's roles and branches, and keeps the result (the values, or the errors by column) for the
 * preview. Invites nobody yet. Rows go in batches of 1,000 as they are parsed, so memory holds
 * the file's bytes and one batch.
 */
export const previewMemberImportCommand = defineCommand({
  name: "member.import.previewed",
  description: "A members CSV was uploaded: every row was checked and kept for the preview; nobody was invited yet (file name, SHA-256, row and error counts in the metadata).",
  access: { permission: "users:manage" },
  input: previewMemberImportSchema,
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const context = await loadCsvContext(tx, orgId);
    const sha256 = createHash("sha256").update(input.content).digest("hex");
    const [created] = await tx.insert(memberImports).values({ orgId, createdBy: actorUserId(principal.actor), fileName: input.fileName, contentSha256: sha256 }).returning({ id: memberImports.id });
    const importId = created!.id;
    let totalRows = 0;
    let errorRows = 0;
    let batch: ParsedMemberRow[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await tx.insert(memberImportRows).values(batch.map((r) => ({ importId, orgId, rowNo: r.rowNo, email: r.email, data: r.data, errors: r.errors })));
      batch = [];
    };
    for await (const row of parseMemberCsv(input.content, context)) {
      totalRows += 1;
      if (row.errors) errorRows += 1;
      batch.push(row);
      if (batch.length >= STAGE_BATCH) await flush();
    }
    await flush();
    await tx.update(memberImports).set({ totalRows, errorRows }).where(eq(memberImports.id, importId));
    return {
      result: { id: importId, totalRows, errorRows },
      target: { type: "member_import", id: importId },
      metadata: { fileName: input.fileName, sha256, bytes: input.content.byteLength, totalRows, errorRows },
    };
  },
});

/** The org's roles and branches by lower-cased name (branches by id too); a name two branches share is ambiguous. */
async function loadCsvContext(tx: Executor, orgId: string): Promise<MemberCsvContext> {
  const roleRows = await tx.select({ name: roles.name }).from(roles).where(eq(roles.orgId, orgId));
  const branchRows = await tx.select({ id: branches.id, name: branches.name, key: sql<string>`lower(${branches.name})` }).from(branches).where(eq(branches.orgId, orgId));
  const byName: MemberCsvContext["branches"] = new Map();
  for (const b of branchRows) byName.set(b.key, byName.has(b.key) ? "ambiguous" : { id: b.id, name: b.name });
  for (const b of branchRows) byName.set(b.id, { id: b.id, name: b.name });
  return { roles: new Map(roleRows.map((r) => [r.name.toLowerCase(), r.name])), branches: byName };
}
