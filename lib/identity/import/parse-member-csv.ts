import { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { clip, describeCsvError, quoteReason } from "@/lib/core/csv-text";
import { ValidationError } from "@/lib/core/errors";
import { createMemberSchema } from "../schemas";

export const MEMBER_CSV_COLUMNS = ["email", "name", "role", "branch"] as const;
export const MAX_MEMBER_IMPORT_ROWS = 200_000;
export const MAX_MEMBER_IMPORT_BYTES = 32 * 1024 * 1024;

/** What the org's roles and branches are, by lower-cased name (and branch id), to check rows against. */
export interface MemberCsvContext {
  roles: Map<string, string>;
  branches: Map<string, { id: string; name: string } | "ambiguous">;
}

export interface ParsedMemberRow {
  rowNo: number;
  email: string | null;
  data: { email: string; name?: string; roleName: string; branchId: string | null } | null;
  errors: Array<{ column: string; message: string }> | null;
}

/**
 * Reads a members CSV one row at a time (a 100,000-row file never sits in memory as objects).
 * The header names `email` and may add `name`, `role` (default Buyer) and `branch` (a name or
 * id; empty: the whole organization). A problem with the file as a whole is a ValidationError on
 * `file`; a row's problems are reported on that row, by column, and the other rows still count.
 */
export async function* parseMemberCsv(content: Uint8Array, context: MemberCsvContext): AsyncGenerator<ParsedMemberRow, void, undefined> {
  const parser = Readable.from([Buffer.from(content)]).pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: true, max_record_size: 64 * 1024, trim: false }));
  let index: Map<string, number> | null = null;
  let width = 0;
  let rowNo = 1;
  const seen = new Map<string, number>();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!index) {
        index = readHeader(record);
        width = record.length;
        continue;
      }
      rowNo += 1;
      if (rowNo - 1 > MAX_MEMBER_IMPORT_ROWS) throw new ValidationError({ file: [`has more than ${MAX_MEMBER_IMPORT_ROWS.toLocaleString("en-US")} rows; split it into smaller files`] });
      yield checkRow(rowNo, record, width, index, context, seen);
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ValidationError({ file: [describeCsvError(error)] });
    throw error;
  }
  if (!index) throw new ValidationError({ file: ["is empty: the first line must be a header such as email,name,role,branch"] });
}

function readHeader(record: string[]): Map<string, number> {
  const problems: string[] = [];
  const index = new Map<string, number>();
  record.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (index.has(name)) problems.push(`column "${clip(raw)}" appears twice in the header`);
    else if ((MEMBER_CSV_COLUMNS as readonly string[]).includes(name)) index.set(name, i);
    else problems.push(`column "${clip(raw)}" is not one this import knows (${MEMBER_CSV_COLUMNS.join(", ")})`);
  });
  if (!index.has("email")) problems.push('the header has no "email" column');
  if (problems.length) throw new ValidationError({ file: problems });
  return index;
}

function checkRow(rowNo: number, record: string[], width: number, index: Map<string, number>, context: MemberCsvContext, seen: Map<string, number>): ParsedMemberRow {
  const errors: Array<{ column: string; message: string }> = [];
  const cell = (name: string) => {
    const i = index.get(name);
    return i === undefined ? "" : (record[i] ?? "");
  };
  if (record.length !== width) errors.push({ column: "(row)", message: `has ${record.length} cells but the header has ${width}` });
  for (const [name, i] of index) if ((record[i] ?? "").includes("\ufffd")) errors.push({ column: name, message: "holds bytes that are not UTF-8 text (save the file as CSV UTF-8)" });
  const emailText = cell("email");
  const email = createMemberSchema.shape.email.safeParse(emailText);
  if (!email.success) errors.push({ column: "email", message: quoteReason(emailText, email.error.issues[0]!.message) });
  else {
    const key = email.data.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) errors.push({ column: "email", message: `"${clip(email.data)}" is already on row ${first}` });
    else seen.set(key, rowNo);
  }
  const nameText = cell("name");
  const name = nameText.trim() === "" ? undefined : createMemberSchema.shape.name.safeParse(nameText);
  if (name && !name.success) errors.push({ column: "name", message: quoteReason(nameText, name.error.issues[0]!.message) });
  const roleText = cell("role").trim() || "Buyer";
  const roleName = context.roles.get(roleText.toLowerCase());
  if (!roleName) errors.push({ column: "role", message: `"${clip(roleText)}" is not a role of this organization` });
  const branchText = cell("branch").trim();
  const branch = branchText ? context.branches.get(branchText.toLowerCase()) : null;
  if (branchText && !branch) errors.push({ column: "branch", message: `"${clip(branchText)}" is not a branch of this organization` });
  if (branch === "ambiguous") errors.push({ column: "branch", message: `"${clip(branchText)}" names more than one branch; use the branch's id` });
  const shown = email.success ? email.data : emailText.trim().slice(0, 254) || null;
  if (errors.length) return { rowNo, email: shown, data: null, errors };
  const data: NonNullable<ParsedMemberRow["data"]> = { email: email.data!, roleName: roleName!, branchId: branch && branch !== "ambiguous" ? branch.id : null };
  if (name?.success && name.data) data.name = name.data;
  return { rowNo, email: email.data!, data, errors: null };
}
