import { AppError, ConflictError, ValidationError, type FieldErrors } from "@/lib/core/errors";
import type { CliOption } from "./define-cli-command";
import { CliFailedError, CliUsageError, DatabaseUnavailableError, errorCode, isConnectionError, rootCause } from "./cli-errors";

/** sysexits(3) codes, so scripts can tell a typo from a missing record from a dead database. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 64,
  validation: 65,
  notFound: 66,
  conflict: 67,
  unavailable: 69,
  tempFail: 75,
  forbidden: 77,
} as const;

export interface CliFailure {
  exitCode: number;
  code: string;
  message: string;
  /** Flag names ("--email") mapped to reasons. */
  fields?: FieldErrors;
  usage?: string;
}

/** Maps any thrown value to one line, a stable code and an exit status. */
export function describeFailure(error: unknown, options: CliOption[] = []): CliFailure {
  const flagFor = (field: string) => options.find((o) => o.field === field)?.flag ?? toFlagName(field);
  if (error instanceof CliUsageError) return { exitCode: EXIT.usage, code: "usage", message: error.message, usage: error.usage };
  if (error instanceof DatabaseUnavailableError) return { exitCode: EXIT.unavailable, code: "unavailable", message: error.message };
  if (error instanceof CliFailedError) return { exitCode: EXIT.failure, code: "internal", message: error.message };
  if (error instanceof ValidationError) {
    const fields: FieldErrors = {};
    for (const [field, reasons] of Object.entries(error.fieldErrors)) (fields[field ? `--${flagFor(field)}` : "input"] ??= []).push(...reasons);
    const message = Object.entries(fields)
      .map(([flag, reasons]) => `${flag}: ${reasons.join(", ")}`)
      .join("; ");
    return { exitCode: EXIT.validation, code: "validation", message: message || error.message, fields };
  }
  if (error instanceof AppError) {
    const fields = error instanceof ConflictError && error.field ? { [`--${flagFor(error.field)}`]: [error.message] } : undefined;
    const exitCode = { not_found: EXIT.notFound, conflict: EXIT.conflict, forbidden: EXIT.forbidden, unauthorized: EXIT.forbidden, rate_limited: EXIT.tempFail, step_up_required: EXIT.forbidden, validation: EXIT.validation, bad_request: EXIT.validation, payload_too_large: EXIT.validation, unsupported_media_type: EXIT.validation }[error.code];
    return { exitCode, code: error.code, message: error.message, ...(fields ? { fields } : {}) };
  }
  const cause = rootCause(error);
  if (isConnectionError(error)) {
    return { exitCode: EXIT.unavailable, code: "unavailable", message: `Database unavailable: ${messageOf(cause)}` };
  }
  if (errorCode(cause) === "23505") {
    // A unique index caught a race the command's own check missed (two writers at once).
    return { exitCode: EXIT.conflict, code: "conflict", message: `Already exists: ${(cause as { detail?: string }).detail ?? messageOf(cause)}` };
  }
  return { exitCode: EXIT.failure, code: "internal", message: `Unexpected error: ${messageOf(cause)}` };
}

/** One line on stderr (JSON with --json); the stack only when DEBUG is set. */
export function printFailure(failure: CliFailure, error: unknown, json: boolean): void {
  if (json) {
    const body = { code: failure.code, message: failure.message, ...(failure.fields ? { fields: failure.fields } : {}) };
    process.stderr.write(`${JSON.stringify({ error: body })}\n`);
  } else {
    process.stderr.write(`Error: ${failure.message}\n`);
    if (failure.usage) process.stderr.write(`${failure.usage}\n`);
    else if (failure.code === "internal" && !process.env.DEBUG) process.stderr.write("Set DEBUG=1 to see the stack trace.\n");
  }
  if (!process.env.DEBUG) return;
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    process.stderr.write(`${depth ? "Caused by: " : ""}${current.stack ?? current.message}\n`);
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim() || "unknown error";
}

function toFlagName(field: string): string {
  return field.replace(/\.?([A-Z])/g, (_, c: string) => `-${c.toLowerCase()}`).replace(/\./g, "-");
}
