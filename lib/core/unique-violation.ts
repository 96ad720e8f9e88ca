import { ConflictError } from "./errors";

/**
 * The unique indexes that a race can reach past a command's own check (two requests both find
 * the name free, then both insert), with the field each one guards. The command wrapper turns a
 * violation of one of these into the same kind of 409 the check gives; any other unique
 * violation stays an unexpected error (500), since no check of ours was meant to prevent it.
 */
const conflicts: Record<string, { field: string; message: string }> = {
  memberships_org_user_uq: { field: "email", message: "This person was added to the organization at the same moment by another request." },
  users_email_lower_uq: { field: "email", message: "An account with this email address was created at the same moment by another request. Try again." },
  branches_sibling_name_uq: { field: "name", message: "A branch with this name was added under the same parent at the same moment by another request." },
  orders_org_number_uq: { field: "number", message: "An order with this number was created at the same moment by another request." },
  roles_org_name_uq: { field: "name", message: "A role with this name was saved at the same moment by another request." },
};

const UNIQUE_VIOLATION = "23505";

/**
 * The ConflictError for a unique violation on a known index, or null. The driver's error may be
 * wrapped (Drizzle's "Failed query" keeps it as `cause`), so the chain of causes is searched.
 */
export function conflictFromUniqueViolation(error: unknown): ConflictError | null {
  const constraint = violatedUniqueIndex(error);
  const known = constraint ? conflicts[constraint] : undefined;
  return known ? new ConflictError(known.message, known.field) : null;
}

/** The unique index a PostgreSQL unique violation names (searching wrapped causes), or null. */
export function violatedUniqueIndex(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, constraint_name: constraint } = current as { code?: unknown; constraint_name?: unknown };
    if (code === UNIQUE_VIOLATION) return typeof constraint === "string" ? constraint : null;
  }
  return null;
}
