import { ScimError } from "../scim-error";

const MAX_USER_NAME = 256;

/** userName is required, non-empty and of a sane length (RFC 7643 §4.1.1). */
export function requireUserName(userName: string): void {
  if (!userName) throw new ScimError(400, "invalidValue", "userName is required and must be a non-empty string.");
  if (userName.length > MAX_USER_NAME) throw new ScimError(400, "invalidValue", `userName must be at most ${MAX_USER_NAME} characters.`);
}
