import { z } from "zod";
import { ValidationError } from "./errors";

const cursorSchema = z.tuple([z.union([z.string(), z.number()]), z.uuid()]);
export type KeysetCursor = z.infer<typeof cursorSchema>;

/** Opaque keyset cursor: the last row's sort value and id. */
export function encodeCursor(value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString("base64url");
}

export function decodeCursor(cursor: string, field = "cursor"): KeysetCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
  }
}
