import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { createScimTokenCommand } from "@/lib/scim/tokens/create-scim-token";
import { meta } from "./factories";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Any SCIM route handler, as the tests call it. */
export const scimHandler = (fn: unknown) => fn as Handler;

/** Calls a /api/scim/v2 handler as an IdP would: a bearer token and application/scim+json. */
export async function callScim(
  handler: unknown,
  token: string | null,
  method: string,
  path: string,
  { params = {}, body, headers = {} }: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Response> {
  const all: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers };
  if (body !== undefined && !all["content-type"]) all["content-type"] = "application/scim+json";
  const request = new Request(`http://localhost/api/scim/v2${path}`, { method, headers: all, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  return scimHandler(handler)(request, { params: Promise.resolve(params) });
}

/** A fresh SCIM token for the org (through the operator, like the CLI). */
export async function makeScimToken(operator: Principal, name = "IdP"): Promise<{ id: string; token: string }> {
  return runCommand(createScimTokenCommand, operator, meta, { name });
}
