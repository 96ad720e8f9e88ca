import { z } from "zod";
import { canonicalOrderSchema } from "@/lib/intake/canonical-order";
import { acceptedMessageSchema, messageViewSchema } from "@/lib/intake/inbox/schemas";
import { PROBLEM_CONTENT_TYPE } from "./problem";



/*
 * Order intake (issue 14): a channel's partner POSTs its raw payload to the channel's URL; the
 * supplier's members read back what became of it. The canonical JSON order (what a `json`
 * channel accepts as is, and what every other format is normalised to) is generated from the
 * zod schema the worker validates with.
 */

export function registerIntakeSchemas(registry: z.core.$ZodRegistry<{ id: string }>): void {
  registry.add(canonicalOrderSchema, { id: "CanonicalOrder" });
  registry.add(acceptedMessageSchema, { id: "IntakeAccepted" });
  registry.add(messageViewSchema, { id: "IntakeMessage" });
}

const idParam = (what: string) => ({ name: "id", in: "path", required: true, description: `The ${what}'s id.`, schema: { type: "string", format: "uuid" } });
const binary = { type: "string", contentMediaType: "application/octet-stream" };

export function buildIntakePaths(): Record<string, Record<string, unknown>> {
  return {
    "/api/v1/intake/channels/{id}/messages": {
      post: {
        operationId: "acceptIntakePayload",
        security: [{ channelToken: [] }, { shopifyHmac: [] }],
        summary:
          "A channel's raw payload into the durable inbox. Checked in this order, before anything is parsed: the channel exists and is active (404), its credential (401: `Authorization: Bearer <channel token>`; a Shopify channel's `X-Shopify-Hmac-Sha256` over the raw body instead; a cXML channel's SharedSecret is checked by the worker), the body within the channel's limit (413), the channel's backlog (429 with `Retry-After`), then a `Content-Encoding` of gzip, x-gzip, deflate or br (at most two layers) is decoded, the limit applying to the decoded size too (413); an unknown coding is 415, a corrupt compressed body 400. Then the decoded bytes, selected headers and the time are stored and processing is queued in one transaction, and the answer is 202. The same bytes again answer the same id. A `json` channel takes the canonical order below (one order, or an array of them, one document each); other formats are sent as they are.",
        parameters: [idParam("channel")],
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/CanonicalOrder" }, { type: "array", items: { $ref: "#/components/schemas/CanonicalOrder" }, maxItems: 1000 }, { type: "object", description: "A Shopify orders/create webhook body (on a shopify channel).", additionalProperties: true }] } },
            "text/csv": { schema: { type: "string" } },
            "application/edi-x12": { schema: binary },
            "application/edifact": { schema: binary },
            "application/xml": { schema: { type: "string", description: "cXML OrderRequest or UBL 2.1 / Peppol BIS Order; a DOCTYPE is refused." } },
          },
        },
        responses: {
          "202": json("Stored; processing is queued. Read the outcome at /api/v1/intake/messages/{id}.", "IntakeAccepted"),
          "400": problem("The body is not valid in its Content-Encoding (a corrupt gzip, deflate or br stream); nothing was stored."),
          "401": problem("The channel's credential is missing or wrong."),
          "404": problem("No active channel has this id (a disabled channel answers the same)."),
          "413": problem("The body, as sent or decompressed, is larger than the channel's limit; nothing was stored."),
          "415": problem("A Content-Encoding other than gzip, x-gzip, deflate, br or identity (or more than two layers); nothing was stored."),
          "429": { ...problem("The channel's backlog is past its configured depth; retry after `Retry-After` seconds. Nothing accepted earlier is lost."), headers: { "Retry-After": { schema: { type: "integer" } } } },
          "500": problem("Unexpected failure; quote `requestId`."),
        },
      },
    },
    "/api/v1/intake/messages/{id}": {
      get: {
        operationId: "getIntakeMessage",
        security: [{ bearerAuth: [] }],
        summary: "What became of an accepted payload: its status and each document's outcome (the order it created or updated, flags, or the reason it was held, rejected or dead-lettered). For the supplier's members; another org's message is 404.",
        parameters: [idParam("message")],
        responses: { "200": json("The message and its documents.", "IntakeMessage"), "401": problem("Missing or invalid token."), "404": problem("Not found, or not the supplier's: the two are indistinguishable.") },
      },
    },
    "/api/v1/intake/messages/{id}/raw": {
      get: {
        operationId: "getIntakeMessageRaw",
        security: [{ bearerAuth: [] }],
        summary: "The payload's bytes exactly as received, as an `application/octet-stream` attachment (the sender's Content-Type is in `X-Original-Content-Type`). Supplier staff with intake:manage only.",
        parameters: [idParam("message")],
        responses: {
          "200": { description: "The raw bytes.", content: { "application/octet-stream": { schema: binary } } },
          "401": problem("Missing or invalid token."),
          "403": problem("A supplier member without intake:manage."),
          "404": problem("Not found, or not the supplier's."),
        },
      },
    },
  };
}

/** The credentials a channel's partner uses (not a member's API token). */
export const intakeSecuritySchemes = {
  channelToken: { type: "http", scheme: "bearer", description: "A channel's token, printed once by `intake channel create`. It can only POST payloads to its own channel." },
  shopifyHmac: { type: "apiKey", in: "header", name: "X-Shopify-Hmac-Sha256", description: "Shopify channels: base64 HMAC-SHA256 of the raw body with the channel's secret." },
};

function json(description: string, name: string) {
  return { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } };
}
function problem(description: string) {
  return { description, content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } } };
}

