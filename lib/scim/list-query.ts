import { MAX_RESULTS } from "./discovery";
import { ScimError } from "./scim-error";

export interface ScimListQuery {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  count: number;
  attributes: string[];
  excludedAttributes: string[];
}

export const DEFAULT_COUNT = 100;

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return fallback;
  if (!/^-?\d{1,12}$/.test(raw.trim())) throw new ScimError(400, "invalidValue", `"${name}" must be a whole number, not "${raw.slice(0, 40)}".`);
  return Number(raw.trim());
}

const listParam = (params: URLSearchParams, name: string) =>
  (params.get(name) ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);

/**
 * The query of a list request (RFC 7644 §3.4.2): a startIndex below 1 counts as 1 and a negative
 * count as 0, as the RFC says; count is capped at ServiceProviderConfig's maxResults.
 */
export function readScimListQuery(params: URLSearchParams): ScimListQuery {
  const filter = params.get("filter") ?? undefined;
  return {
    ...(filter !== undefined && filter.trim() !== "" ? { filter } : {}),
    ...(params.get("sortBy") ? { sortBy: params.get("sortBy")! } : {}),
    ...(params.get("sortOrder") ? { sortOrder: params.get("sortOrder")! } : {}),
    startIndex: Math.max(1, integerParam(params, "startIndex", 1)),
    count: Math.min(MAX_RESULTS, Math.max(0, integerParam(params, "count", DEFAULT_COUNT))),
    attributes: listParam(params, "attributes"),
    excludedAttributes: listParam(params, "excludedAttributes"),
  };
}
