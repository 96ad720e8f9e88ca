import type { ScimGroupDoc } from "@/lib/scim/patch";
import { ScimError } from "../scim-error";

const MAX_DISPLAY_NAME = 256;

/** The Group's name (required: mapping rules match it) and externalId. */
export function readGroupFacts(doc: ScimGroupDoc): { displayName: string; externalId: string | null } {
  const displayName = typeof doc.displayName === "string" ? doc.displayName.trim() : "";
  if (!displayName) throw new ScimError(400, "invalidValue", "displayName is required and must be a non-empty string.");
  if (displayName.length > MAX_DISPLAY_NAME) throw new ScimError(400, "invalidValue", `displayName must be at most ${MAX_DISPLAY_NAME} characters.`);
  return { displayName, externalId: typeof doc.externalId === "string" && doc.externalId.trim() ? doc.externalId.trim() : null };
}
