import { PayloadTooLargeError, ValidationError } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/http/read-json-body";
import { ScimError } from "../scim-error";

/** A User or Group is a few KB; a group with thousands of members fits too. */
export const MAX_SCIM_BODY_BYTES = 1024 * 1024;

/**
 * Reads a SCIM request body (application/scim+json or application/json), with the shared reader's
 * size limit, UTF-8 and boundary checks (NUL, lone surrogates, prototype keys), answered in SCIM's
 * terms: too big is 400 tooMany, unreadable is 400 invalidSyntax.
 */
export async function readScimBody(request: Request, limit = MAX_SCIM_BODY_BYTES, tooBigStatus = 400): Promise<unknown> {
  try {
    return await readJsonBody(request, limit);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw new ScimError(tooBigStatus, "tooMany", `The request body is larger than ${limit} bytes.`);
    if (error instanceof ValidationError) {
      const reasons = Object.entries(error.fieldErrors).map(([field, why]) => `${field || "body"} ${why.join("; ")}`);
      const syntax = Object.keys(error.fieldErrors).every((f) => f === "body");
      throw new ScimError(400, syntax ? "invalidSyntax" : "invalidValue", `The request body was refused: ${reasons.join(". ")}.`);
    }
    throw error;
  }
}
