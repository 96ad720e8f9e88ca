import type { z } from "zod";
import { ValidationError } from "@/lib/core/errors";
import { addFieldError, newFieldErrors, readQueryMap } from "@/lib/core/input-rules";

/**
 * Validates a query string against a zod object schema. Every failure names the parameter, so a
 * client sees `{ limit: ["must be at least 1"] }` rather than a bare 400. An empty value counts
 * as absent (`?status=` from a form means "any status"). The parameters are read into a map with
 * no prototype (lib/core/input-rules.ts), so `?constructor=` or `?toString=` is an unknown
 * parameter like any other, and NUL or a lone surrogate is refused before the schema runs.
 */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const { values, repeated } = readQueryMap(params);
  const fieldErrors = newFieldErrors();
  // Repeated parameters are ambiguous (which one wins?), so they are refused, not guessed.
  for (const name of repeated) addFieldError(fieldErrors, name, "may be given only once");

  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") for (const key of issue.keys) addFieldError(fieldErrors, key, "is not a known parameter");
      else addFieldError(fieldErrors, issue.path.map(String).join("."), issue.message);
    }
  }
  if (!parsed.success || Object.keys(fieldErrors).length > 0) throw new ValidationError(fieldErrors);
  return parsed.data;
}
