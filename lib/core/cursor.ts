import { z } from "zod";
import { ValidationError } from "./errors";

const cursorSchema = z.tuple([z.string(), z.enum(["asc", "desc"]), z.union([z.string(), z.number()]), z.uuid()]);

/**
 * Opaque keyset cursor: the sort key and direction it was made for, then the last row's sort
 * value and id. Carrying the sort lets a cursor reused under another sort fail as bad input
 * instead of comparing a number column with a string.
 */
export function encodeCursor(sort: string, dir: "asc" | "desc", value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sort, dir, value, id])).toString("base64url");
}

export function decodeCursor(cursor: string, expected: { sort: string; dir: "asc" | "desc"; field: string }): { value: string | number; id: string } {
  let parsed: z.infer<typeof cursorSchema>;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ValidationError({ [expected.field]: ["is not a cursor this server issued"] });
  }
  const [sort, dir, value, id] = parsed;
  if (sort !== expected.sort || dir !== expected.dir) throw new ValidationError({ [expected.field]: [`belongs to another sort order (${sort} ${dir}); start again from the first page`] });
  return { value, id };
}
