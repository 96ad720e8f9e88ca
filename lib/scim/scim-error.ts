import { AppError, type ErrorCode } from "@/lib/core/errors";

/** RFC 7644 §3.12 scimType values (and "tooLarge", which some IdPs expect for 413). */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

// The app's error codes by HTTP status, so the command wrapper treats a SCIM error like its twin
// (a 403 is recorded as a refusal, a 400 is not).
const CODE_BY_STATUS: Record<number, ErrorCode> = { 400: "validation", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 412: "conflict", 413: "payload_too_large" };

/**
 * An error a SCIM client must read as the SCIM Error schema (RFC 7644 §3.12): an HTTP status, a
 * `scimType` for 400s (and 409 uniqueness), and a detail in plain words naming the attribute.
 */
export class ScimError extends AppError {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
  ) {
    super(CODE_BY_STATUS[status] ?? "validation", detail);
  }

  toJSON(): { schemas: string[]; status: string; scimType?: ScimType; detail: string } {
    return { schemas: [SCIM_ERROR_SCHEMA], status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}), detail: this.message };
  }
}
