import type { z } from "zod";
import { ValidationError, type FieldErrors } from "@/lib/core/errors";

const MAX_ECHOED_NAME = 64;

/**
 * Validates a query string against a zod object schema. Every failure names the parameter, so a
 * client sees `{ limit: ["must be at least 1"] }` rather than a bare 400. An empty value counts
 * as absent (`?status=` from a form means "any status").
 */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = Object.create(null);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const fieldErrors: FieldErrors = {};
  const add = (field: string, reason: string) => (fieldErrors[field.slice(0, MAX_ECHOED_NAME)] ??= []).push(reason);

  for (const [name, value] of params) {
    // Repeated parameters are ambiguous (which one wins?), so they are refused, not guessed.
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
    if (value !== "") raw[name] = value;
  }
  for (const name of repeated) add(name, "may be given only once");

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") for (const key of issue.keys) add(key, "is not a known parameter");
      else add(issue.path.map(String).join("."), issue.message);
    }
  }
  if (!parsed.success || Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  return parsed.data;
}
