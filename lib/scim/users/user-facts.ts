import { emailSchema } from "@/lib/identity/schemas";
import { ENTERPRISE_USER_SCHEMA } from "../discovery";

/** What provisioning reads from a SCIM User (the rest is stored and echoed, not interpreted). */
export interface ScimUserFacts {
  userName: string;
  externalId: string | null;
  active: boolean;
  name: string | null;
  emails: Array<{ value: string; type: string | null; primary: boolean }>;
  /** Enterprise attributes by name (department, division, costCenter, organization, ...), for branch placement. */
  enterprise: Record<string, string>;
}

// SCIM attribute names are case-insensitive (RFC 7643 §2.1).
function pick(doc: Record<string, unknown> | undefined, name: string): unknown {
  if (!doc) return undefined;
  const key = Object.keys(doc).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : doc[key];
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
const object = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

export function readUserFacts(doc: Record<string, unknown>): ScimUserFacts {
  const name = object(pick(doc, "name"));
  const given = text(pick(name, "givenName"));
  const family = text(pick(name, "familyName"));
  const emails = (Array.isArray(pick(doc, "emails")) ? (pick(doc, "emails") as unknown[]) : [])
    .map(object)
    .filter((e): e is Record<string, unknown> => e !== undefined && typeof pick(e, "value") === "string")
    .map((e) => ({ value: String(pick(e, "value")).trim(), type: text(pick(e, "type"))?.toLowerCase() ?? null, primary: pick(e, "primary") === true }));
  const enterpriseDoc = object(pick(doc, ENTERPRISE_USER_SCHEMA));
  const enterprise: Record<string, string> = {};
  for (const [key, value] of Object.entries(enterpriseDoc ?? {})) if (typeof value === "string" && value.trim()) enterprise[key.toLowerCase()] = value.trim();
  return {
    userName: text(pick(doc, "userName")) ?? "",
    externalId: text(pick(doc, "externalId")),
    active: pick(doc, "active") !== false,
    name: text(pick(doc, "displayName")) ?? text(pick(name, "formatted")) ?? ([given, family].filter(Boolean).join(" ") || null),
    emails,
    enterprise,
  };
}

/**
 * The person's sign-in email candidate (ADR 0025): the primary work email, else the only or first
 * work email, else the primary one, else an untyped one; only a valid address counts. Null: no usable address, so
 * the person signs in through the org's SSO only.
 */
export function chooseSignInEmail(facts: ScimUserFacts): string | null {
  const work = facts.emails.filter((e) => e.type === "work");
  const ordered = [...work.filter((e) => e.primary), ...work, ...facts.emails.filter((e) => e.primary), ...facts.emails.filter((e) => e.type === null)];
  const first = ordered[0];
  if (!first) return null;
  const parsed = emailSchema.safeParse(first.value);
  return parsed.success ? parsed.data : null;
}
