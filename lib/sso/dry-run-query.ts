import { z } from "zod";
import { assertCleanInput, safeText } from "@/lib/core/input-rules";
import { AppError } from "@/lib/core/errors";
import { dryRunMappingSchema } from "./admin-schemas";

export interface DryRunQuery {
  /** What the form showed, to fill it in again. */
  echo: { connectionId: string; groups: string; claims: string };
  /** Parsed and ready for dryRunMappings, or null when the form was not sent or is wrong. */
  input: z.output<typeof dryRunMappingSchema> | null;
  error: string | null;
}

const text = (max: number) => safeText().max(max).catch("");

/**
 * The Settings page's dry run is a GET form (a read, so no server action and no audit event):
 * `dryConnection`, `dryGroups` (one per line) and `dryClaims` (a JSON object). Wrong input
 * answers a sentence for the form, never an exception.
 */
export function readDryRunQuery(params: Record<string, string | string[] | undefined>): DryRunQuery {
  const one = (name: string, max: number) => text(max).parse(Array.isArray(params[name]) ? params[name][0] : (params[name] ?? ""));
  const echo = { connectionId: one("dryConnection", 100), groups: one("dryGroups", 4000), claims: one("dryClaims", 4000) };
  if (!echo.connectionId) return { echo, input: null, error: null };
  let claims: unknown = {};
  if (echo.claims.trim()) {
    try {
      claims = JSON.parse(echo.claims);
      assertCleanInput(claims);
    } catch (error) {
      const reason = error instanceof AppError ? "it holds a key or text that is not allowed" : "it is not valid JSON";
      return { echo, input: null, error: `Other claims must be a JSON object, such as {"department": "Sales"}: ${reason}.` };
    }
    if (!claims || typeof claims !== "object" || Array.isArray(claims)) return { echo, input: null, error: 'Other claims must be a JSON object, such as {"department": "Sales"}.' };
  }
  const groups = echo.groups.split("\n").map((g) => g.trim()).filter(Boolean);
  const parsed = dryRunMappingSchema.safeParse({ connectionId: echo.connectionId, claims: { ...(groups.length ? { groups } : {}), ...(claims as Record<string, unknown>) } });
  if (!parsed.success) return { echo, input: null, error: "Choose one of the connections listed." };
  return { echo, input: parsed.data, error: null };
}
