import { AppError } from "@/lib/core/errors";

/** The SCIM error types (RFC 7644 §3.12) that filters, paths and sorting can answer with. */
export type ScimFilterErrorType = "invalidFilter" | "invalidPath" | "invalidValue";

/**
 * A filter, PATCH path or sort parameter that cannot be used. SCIM answers it 400 with `scimType`
 * (not the REST 422 of "validation"), so it carries its own status for the SCIM transport.
 * `position` is the 0-based offset in the text where parsing stopped, when there is one.
 */
export class ScimFilterError extends AppError {
  readonly status = 400;

  constructor(
    readonly scimType: ScimFilterErrorType,
    message: string,
    readonly position?: number,
  ) {
    super("validation", message);
  }

  /** The SCIM Error schema (RFC 7644 §3.12), the same shape as lib/scim's ScimError. */
  toJSON(): { schemas: string[]; status: string; scimType: ScimFilterErrorType; detail: string } {
    return { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: this.scimType, detail: this.message };
  }
}
