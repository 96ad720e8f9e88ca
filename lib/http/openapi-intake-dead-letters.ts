import { PROBLEM_CONTENT_TYPE } from "./problem";

// The intake dead-letter queue (issue 14, docs/adr/0027-intake-pipeline.md): supplier staff with
// intake:manage list it worst first, replay (optionally with a corrected payload) or discard.

const problem = (description: string) => ({ description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } });
const idParam = { name: "id", in: "path", required: true, description: "The dead letter's id.", schema: { type: "string", format: "uuid" } };
const reason = { type: "object", required: ["code", "message", "location"], properties: { code: { type: "string" }, message: { type: "string", description: "Starts with where: `PO1[3] element 04: …`, an XPath, a JSON pointer or a CSV row." }, location: { type: ["string", "null"] } } };
const deadLetter = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" }, messageId: { type: "string", format: "uuid" },
    channel: { type: "object", properties: { id: { type: "string", format: "uuid" }, name: { type: "string" }, format: { type: "string" } } },
    documentIndex: { type: ["integer", "null"], description: "null: the whole message failed (it did not parse, its credential was wrong, or retries ran out)." },
    documentNumber: { type: ["string", "null"] }, reason,
    impact: { type: "number", description: "value (major units) × the account's tier weight × (1 + days waited), as of `asOf`." },
    state: { type: "string", enum: ["open", "replayed", "discarded"] }, discardReason: { type: ["string", "null"] },
    valueMinor: { type: ["integer", "null"] }, currency: { type: ["string", "null"] }, accountId: { type: ["string", "null"] },
    createdAt: { type: "string" }, resolvedAt: { type: ["string", "null"] },
  },
};
const refusals = { "401": problem("Missing or invalid token."), "403": problem("Not the supplier's staff, or without intake:manage."), "404": problem("No such dead letter for this supplier.") };

export function buildDeadLetterPaths(): Record<string, Record<string, unknown>> {
  return {
    "/api/v1/intake/dead-letters": {
      get: {
        operationId: "listIntakeDeadLetters",
        security: [{ bearerAuth: [] }],
        summary: "The dead-letter queue, keyset pages: `sort=impact` (default; the cursor keeps the instant the ranking was taken at, so pages agree) or `sort=age` (oldest first); `state=open` by default.",
        parameters: [
          { name: "sort", in: "query", schema: { type: "string", enum: ["impact", "age"], default: "impact" } },
          { name: "state", in: "query", schema: { type: "string", enum: ["open", "replayed", "discarded"], default: "open" } },
          { name: "cursor", in: "query", schema: { type: "string" } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
        ],
        responses: {
          "200": { description: "One page.", content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: deadLetter }, nextCursor: { type: ["string", "null"] }, asOf: { type: "string" } } } } } },
          "422": problem("A parameter is not understood, or the cursor was not issued by this server."),
          ...refusals,
        },
      },
    },
    "/api/v1/intake/dead-letters/{id}/replay": {
      post: {
        operationId: "replayIntakeDeadLetter",
        security: [{ bearerAuth: [] }],
        summary: "Processes the message again at once (only this document, for a document's letter) and answers its read-back. With `payload`, that corrected text is stored (audited by size and SHA-256) and parsed instead of the raw bytes, which never change. A replay that fails again leaves a new open letter.",
        parameters: [idParam],
        requestBody: { required: false, content: { "application/json": { schema: { type: "object", additionalProperties: false, properties: { payload: { type: "string", maxLength: 1048576 } } } } } },
        responses: {
          "200": { description: "The message after the replay.", content: { "application/json": { schema: { type: "object", properties: { deadLetterId: { type: "string", format: "uuid" }, message: { $ref: "#/components/schemas/IntakeMessage" } } } } } },
          "409": problem("Already replayed or discarded."),
          ...refusals,
        },
      },
    },
    "/api/v1/intake/dead-letters/{id}/discard": {
      post: {
        operationId: "discardIntakeDeadLetter",
        security: [{ bearerAuth: [] }],
        summary: "Closes the letter without processing it; the reason is kept on it and in the audit trail.",
        parameters: [idParam],
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: { type: "string", minLength: 3, maxLength: 500 } } } } } },
        responses: {
          "200": { description: "Discarded.", content: { "application/json": { schema: { type: "object", properties: { id: { type: "string", format: "uuid" }, state: { type: "string", enum: ["discarded"] } } } } } },
          "409": problem("Already replayed or discarded."),
          "422": problem("The reason is missing, too short or not plain text."),
          ...refusals,
        },
      },
    },
  };
}
