import { BULK_MAX_OPERATIONS } from "../discovery";
import { ScimError } from "../scim-error";

export const BULK_REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const BULK_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

export type BulkMethod = "POST" | "PUT" | "PATCH" | "DELETE";

export interface BulkOperation {
  index: number;
  method: BulkMethod;
  bulkId?: string;
  version?: string;
  path: string;
  data?: unknown;
}

export interface BulkRequest {
  /** Stop after this many errors (RFC 7644 §3.7.3); undefined: run them all. */
  failOnErrors?: number;
  operations: BulkOperation[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const member = (o: Record<string, unknown>, name: string) => o[Object.keys(o).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ""];

/**
 * A BulkRequest message, checked before anything runs: its schema, Operations (at most
 * maxOperations, else 413 as RFC 7644 §3.7.4 says), each with a method, a path and, but for
 * DELETE, data; bulkIds unique. Member names in any letter case, as SCIM's are.
 */
export function readBulkRequest(body: unknown): BulkRequest {
  if (!isObject(body)) throw new ScimError(400, "invalidSyntax", "A BulkRequest must be a JSON object.");
  const schemas = member(body, "schemas");
  if (!Array.isArray(schemas) || !schemas.includes(BULK_REQUEST_SCHEMA)) throw new ScimError(400, "invalidSyntax", `schemas must include "${BULK_REQUEST_SCHEMA}".`);
  const ops = member(body, "Operations");
  if (!Array.isArray(ops) || ops.length === 0) throw new ScimError(400, "invalidSyntax", "Operations must be a non-empty list.");
  if (ops.length > BULK_MAX_OPERATIONS) throw new ScimError(413, "tooMany", `A bulk request may hold at most ${BULK_MAX_OPERATIONS} operations; this one has ${ops.length}.`);
  const failOnErrors = member(body, "failOnErrors");
  if (failOnErrors !== undefined && (typeof failOnErrors !== "number" || !Number.isInteger(failOnErrors) || failOnErrors < 1)) {
    throw new ScimError(400, "invalidValue", "failOnErrors must be a whole number of at least 1.");
  }
  const bulkIds = new Set<string>();
  const operations = ops.map((raw, index): BulkOperation => {
    if (!isObject(raw)) throw new ScimError(400, "invalidSyntax", `Operations[${index}] must be an object.`);
    const method = String(member(raw, "method") ?? "").toUpperCase();
    if (!["POST", "PUT", "PATCH", "DELETE"].includes(method)) throw new ScimError(400, "invalidValue", `Operations[${index}].method must be POST, PUT, PATCH or DELETE.`);
    const path = member(raw, "path");
    if (typeof path !== "string" || !path.startsWith("/")) throw new ScimError(400, "invalidPath", `Operations[${index}].path must be a resource path such as /Users or /Groups/{id}.`);
    const bulkId = member(raw, "bulkId");
    if (bulkId !== undefined && (typeof bulkId !== "string" || !bulkId.trim())) throw new ScimError(400, "invalidValue", `Operations[${index}].bulkId must be a non-empty string.`);
    if (method === "POST" && bulkId === undefined) throw new ScimError(400, "invalidValue", `Operations[${index}]: a POST needs a bulkId.`);
    if (typeof bulkId === "string") {
      if (bulkIds.has(bulkId)) throw new ScimError(400, "invalidValue", `Operations[${index}].bulkId "${bulkId.slice(0, 64)}" is used twice.`);
      bulkIds.add(bulkId);
    }
    const data = member(raw, "data");
    if (method !== "DELETE" && !isObject(data)) throw new ScimError(400, "invalidSyntax", `Operations[${index}].data must be the ${method === "PATCH" ? "PatchOp message" : "resource"}.`);
    const version = member(raw, "version");
    return { index, method: method as BulkMethod, path, ...(typeof bulkId === "string" ? { bulkId } : {}), ...(typeof version === "string" ? { version } : {}), ...(data !== undefined ? { data } : {}) };
  });
  return { ...(typeof failOnErrors === "number" ? { failOnErrors } : {}), operations };
}
