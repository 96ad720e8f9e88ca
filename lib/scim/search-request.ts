import { MAX_RESULTS } from "./discovery";
import { DEFAULT_COUNT, type ScimListQuery } from "./list-query";
import { ScimError } from "./scim-error";

export const SEARCH_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

const member = (o: Record<string, unknown>, name: string) => o[Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ""];

function text(o: Record<string, unknown>, name: string): string | undefined {
  const v = member(o, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new ScimError(400, "invalidValue", `"${name}" must be a string.`);
  return v;
}

function integer(o: Record<string, unknown>, name: string, fallback: number): number {
  const v = member(o, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v)) throw new ScimError(400, "invalidValue", `"${name}" must be a whole number.`);
  return v;
}

function names(o: Record<string, unknown>, name: string): string[] {
  const v = member(o, name);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((a) => typeof a !== "string")) throw new ScimError(400, "invalidValue", `"${name}" must be a list of attribute names.`);
  return (v as string[]).map((a) => a.trim()).filter(Boolean);
}

/** A POST /.search body (RFC 7644 §3.4.3): the same query as GET's parameters, with the same limits. */
export function readSearchRequest(body: unknown): ScimListQuery {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ScimError(400, "invalidSyntax", "A SearchRequest must be a JSON object.");
  const o = body as Record<string, unknown>;
  const schemas = member(o, "schemas");
  if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA)) throw new ScimError(400, "invalidSyntax", `schemas must include "${SEARCH_REQUEST_SCHEMA}".`);
  const filter = text(o, "filter");
  const sortBy = text(o, "sortBy");
  const sortOrder = text(o, "sortOrder");
  return {
    ...(filter !== undefined && filter.trim() !== "" ? { filter } : {}),
    ...(sortBy ? { sortBy } : {}),
    ...(sortOrder ? { sortOrder } : {}),
    startIndex: Math.max(1, integer(o, "startIndex", 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, integer(o, "count", DEFAULT_COUNT))),
    attributes: names(o, "attributes"),
    excludedAttributes: names(o, "excludedAttributes"),
  };
}
