import { z } from "zod";
import { apiAuditListQuerySchema, auditEventPageSchema, auditEventSchema, auditExportQuerySchema, auditPublicKeySchema, chainReportSchema } from "@/lib/audit/schemas";
import { PROBLEM_CONTENT_TYPE } from "./problem";

type JsonSchema = z.core.JSONSchema.BaseSchema;

// Prose only, typed by each query schema's keys so a new parameter fails the build until described.
const filterDescriptions = {
  actor: "An actor id (exact), or the start of the actor's label such as an email (case-insensitive).",
  action: 'An action such as `order.created`, or a prefix ending in "." such as `auth.`.',
  target: "A target id (exact).",
  branch: "Only events filed under this branch's subtree (within what the token may read).",
  outcome: "success, denied or failure.",
  from: "Events at or after this instant (ISO 8601; UTC when no offset is given).",
  to: "Events before this instant (ISO 8601; UTC when no offset is given).",
};
const listDescriptions: Record<keyof typeof apiAuditListQuerySchema.shape, string> = {
  ...filterDescriptions,
  cursor: "The `nextCursor` of the previous page.",
  limit: "Page size.",
};
const exportDescriptions: Record<keyof typeof auditExportQuerySchema.shape, string> = { ...filterDescriptions, format: "`csv` or `jsonl` (JSON Lines)." };

/** The audit trail's components, added to the document's registry before it is generated. */
export function registerAuditSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(auditEventSchema, { id: "AuditEvent" });
  registry.add(auditEventPageSchema, { id: "AuditEventPage" });
  registry.add(chainReportSchema, { id: "ChainReport" });
  registry.add(auditPublicKeySchema, { id: "AuditPublicKey" });
}

export function buildAuditPaths() {
  const denied = problem("The token's member lacks audit:read; the attempt is recorded as `audit.read.denied`.");
  const common = { "401": { $ref: "#/components/responses/Unauthorized" }, "403": denied, "500": { $ref: "#/components/responses/InternalError" } };
  return {
    "/api/v1/audit/events": {
      get: {
        operationId: "listAuditEvents",
        summary: "One page of the organization's audit trail that the token's member may read (audit:read), newest first.",
        description: "A grant at the organization root sees every event; a grant at a branch sees the events of that subtree. Text fields have control characters encoded (`\\n`, `\\u0007`).",
        parameters: queryParameters(apiAuditListQuerySchema, listDescriptions),
        responses: { "200": json("A page of events.", "AuditEventPage"), "422": { $ref: "#/components/responses/ValidationFailed" }, ...common },
      },
    },
    "/api/v1/audit/verify": {
      get: {
        operationId: "verifyAuditChain",
        summary: "Recomputes the organization's hash chain and checks its signed checkpoints (audit:read).",
        description: "Always 200 when the check ran: a broken chain is reported as `intact: false` with `firstBrokenSeq` and `problem`.",
        responses: { "200": json("The verification report.", "ChainReport"), ...common },
      },
    },
    "/api/v1/audit/public-key": {
      get: {
        operationId: "getAuditPublicKey",
        summary: "The Ed25519 public key that signs audit checkpoints. No authentication.",
        security: [],
        responses: { "200": json("The key.", "AuditPublicKey"), "404": problem("No signing key is configured.") },
      },
    },
    "/api/v1/audit/export": {
      get: {
        operationId: "exportAuditEvents",
        summary: "The whole filtered trail, streamed, oldest first (audit:read). Recorded as `audit.exported`.",
        description: "Starts with the latest signed checkpoint and ends with an end record; see docs/audit.md. The checkpoint is also in `X-Audit-Checkpoint-*` headers.",
        parameters: queryParameters(auditExportQuerySchema, exportDescriptions),
        responses: {
          "200": {
            description: "An attachment: CSV (RFC 4180) or JSON Lines.",
            content: { "text/csv": { schema: { type: "string" } }, "application/x-ndjson": { schema: { type: "string" } } },
          },
          "422": { $ref: "#/components/responses/ValidationFailed" },
          ...common,
        },
      },
    },
  };
}

function queryParameters(schema: z.ZodType, descriptions: Record<string, string>) {
  const generated = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  const required = new Set(generated.required ?? []);
  return Object.entries(generated.properties ?? {}).map(([name, property]) => ({ name, in: "query", required: required.has(name), description: descriptions[name], schema: property }));
}

const json = (description: string, name: string) => ({ description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } });
