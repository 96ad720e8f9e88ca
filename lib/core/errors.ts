/** Typed domain errors. Each transport maps them once: problem+json, action state, exit code. */
export type ErrorCode = "unauthorized" | "forbidden" | "not_found" | "conflict" | "validation" | "bad_request" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "step_up_required";

export class AppError extends Error {
  /**
   * Set by a check that wrote bookkeeping which must survive the refusal (a failed-attempt
   * count): the command wrapper then commits the command's transaction with the refusal's audit
   * event in it, instead of rolling it back and recording the refusal apart.
   */
  commitsWithRefusal = false;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthorizedError extends AppError {
  constructor(
    message = "Sign-in required.",
    /** Non-secret facts for the audit event (for example the email that was tried). */
    readonly auditDetail: Record<string, unknown> = {},
  ) {
    super("unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(
    message = "You do not have permission to do that.",
    readonly permission?: string,
  ) {
    super("forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = "Resource") {
    super("not_found", `${what} not found.`);
  }
}

/**
 * A target outside everything the actor may see: answered exactly like a missing one (404), so
 * nobody learns what exists in another part of the tree, but audited as a denial.
 */
export class HiddenTargetError extends NotFoundError {
  constructor(
    what: string,
    readonly permission: string,
  ) {
    super(what);
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super("conflict", message);
  }
}

/** Field paths ("lines.0.sku") mapped to human-readable reasons. */
export type FieldErrors = Record<string, string[]>;

export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = describeFieldErrors(fieldErrors),
  ) {
    super("validation", message);
  }
}

function describeFieldErrors(fieldErrors: FieldErrors): string {
  const parts = Object.entries(fieldErrors).map(([field, reasons]) => `${field || "input"}: ${reasons.join("; ")}`);
  return parts.length ? `Some fields need correcting. ${parts.join(". ")}.` : "Some fields need correcting.";
}

/** A request whose bytes cannot be read at all (a corrupt compressed body): 400, before any field is looked at. */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super("bad_request", message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number, what = "The request body") {
    super("payload_too_large", `${what} is larger than ${limitBytes} bytes.`);
  }
}

/** A body in an encoding (Content-Encoding) the endpoint does not decode: 415. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super("unsupported_media_type", message);
  }
}

/** Too many failed attempts: wait `retryAfterSeconds` (or, when blocked, reset the password). */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    /** Non-secret facts for the audit event, as on UnauthorizedError. */
    readonly auditDetail: Record<string, unknown> = {},
  ) {
    super("rate_limited", message);
  }
}

/**
 * A sensitive command needs the person to prove themselves again first: "mfa" means an MFA check
 * within the step-up window, "recent-auth" a sign-in or step-up within it.
 */
export class StepUpRequiredError extends AppError {
  constructor(
    readonly kind: "mfa" | "recent-auth",
    message = kind === "mfa" ? "Confirm it is you with your second factor first." : "Confirm it is you first: sign in again or use your second factor.",
  ) {
    super("step_up_required", message);
  }
}

/**
 * An admin-class permission used by a session that has never passed MFA (it was granted after
 * this session signed in). A step-up of kind "mfa" to every transport; the dashboard sends the
 * person back to the page, whose loader asks for the second factor (or its enrollment) first.
 */
export class MfaRequiredError extends StepUpRequiredError {
  constructor(readonly permission: string) {
    super("mfa", `Using ${permission} needs two-step verification in this session: confirm it is you with your second factor (or set one up) first.`);
  }
}

export const httpStatusFor: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation: 422,
  bad_request: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  step_up_required: 403,
};
