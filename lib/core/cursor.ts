import { z } from "zod";
import { ValidationError } from "./errors";
import { findInputProblems, isInstantInRange } from "./input-rules";

const cursorSchema = z.tuple([z.string(), z.enum(["asc", "desc"]), z.union([z.string(), z.number()]), z.uuid()]);
const FORGED = "is not a cursor this server issued";

/**
 * Opaque keyset cursor: the sort key and direction it was made for, then the last row's sort
 * value and id. Carrying the sort lets a cursor reused under another sort fail as bad input
 * instead of comparing a number column with a string.
 */
export function encodeCursor(sort: string, dir: "asc" | "desc", value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sort, dir, value, id])).toString("base64url");
}

/**
 * Decodes a cursor from a query string. Anyone can write one, so its content is input like any
 * other: a string PostgreSQL cannot store (NUL) is refused here, and the caller types the value
 * (`cursorInstant` for dates) before it reaches a query.
 */
export function decodeCursor(cursor: string, expected: { sort: string; dir: "asc" | "desc"; field: string }): { value: string | number; id: string } {
  let parsed: z.infer<typeof cursorSchema>;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Object.keys(findInputProblems(decoded)).length > 0) throw new Error("unsafe text");
    parsed = cursorSchema.parse(decoded);
  } catch {
    throw new ValidationError({ [expected.field]: [FORGED] });
  }
  const [sort, dir, value, id] = parsed;
  if (sort !== expected.sort || dir !== expected.dir) throw new ValidationError({ [expected.field]: [`belongs to another sort order (${sort} ${dir}); start again from the first page`] });
  return { value, id };
}

// What encodeCursor is given for a date column: Date#toISOString() of a stored instant.
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A cursor's date value, exactly as the server writes it (2026-05-01T09:30:00.000Z) and within
 * the instants PostgreSQL and JavaScript both hold; anything else (year 0, +275760-…,
 * 2026-02-31) was not issued by us.
 */
export function cursorInstant(value: unknown, field: string): Date {
  if (typeof value === "string" && ISO_MILLIS.test(value)) {
    const date = new Date(value);
    if (isInstantInRange(date) && date.toISOString() === value) return date;
  }
  throw new ValidationError({ [field]: [FORGED] });
}
