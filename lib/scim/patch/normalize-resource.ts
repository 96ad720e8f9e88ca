import { ScimError } from "../scim-error";
import { coerceAttributeValue } from "./coerce-value";
import { assertCleanScimInput, isBlank, isPlainObject, readMember, type JsonObject } from "./read-body";
import { scimResourceSchemaFor, type ScimAttributeDef, type ScimResourceSchema, type ScimSchemaPart } from "./resource-schema";
import type { ScimGroupDoc, ScimResourceType, ScimUserDoc } from "./scim-docs";

/*
 * A POST or PUT body made into the stored document (RFC 7644 §3.3, §3.5.1): attribute names
 * matched in any letter case and written canonically, the extension read from its URN key (or
 * from URN-prefixed keys), Entra's "True"/"False" as booleans, nulls as unassigned.
 * Read-only attributes the client sends are ignored, as §3.3 and §3.5.1 require: Okta's PUT
 * repeats `id`, `meta` and `groups` (a user's groups are the server's, from group membership);
 * a group's `members` is read-write and kept. The password is write-only: never stored.
 * Attributes the schema does not know are ignored too, so an IdP's custom extension does not
 * break provisioning of everything else; a known attribute with a bad value is refused.
 */

export function normalizeScimResource(body: unknown, resourceType: "User"): ScimUserDoc;
export function normalizeScimResource(body: unknown, resourceType: "Group"): ScimGroupDoc;
export function normalizeScimResource(body: unknown, resourceType: ScimResourceType): ScimUserDoc | ScimGroupDoc;
export function normalizeScimResource(body: unknown, resourceType: ScimResourceType): ScimUserDoc | ScimGroupDoc {
  const schema = scimResourceSchemaFor(resourceType);
  if (!isPlainObject(body)) throw new ScimError(400, "invalidSyntax", `A ${resourceType} must be a JSON object.`);
  assertCleanScimInput(body, `${resourceType} body`);
  assertSchemas(body, schema);

  const doc: JsonObject = {};
  const extensions = new Map<ScimSchemaPart, JsonObject>();
  const put = (part: ScimSchemaPart, attr: ScimAttributeDef, raw: unknown, where: string) => {
    if (attr.mutability === "readOnly" || attr.mutability === "writeOnly") return;
    const container = part.isCore ? doc : (extensions.get(part) ?? extensions.set(part, {}).get(part)!);
    if (Object.hasOwn(container, attr.name)) throw new ScimError(400, "invalidSyntax", `${where} is sent twice (in different letter cases or forms).`);
    const value = coerceAttributeValue(attr, raw, where, { strict: false });
    if (value === undefined) return;
    if (attr.multiValued) assertOnePrimary(attr, value as JsonObject[]);
    container[attr.name] = value;
  };

  for (const [key, raw] of Object.entries(body)) {
    const lower = key.trim().toLowerCase();
    if (lower === "schemas") continue;
    const part = schema.partByUrn.get(lower);
    if (part) {
      // `"urn:…:enterprise:2.0:User": { "department": … }`
      if (raw === null || raw === undefined) continue;
      if (!isPlainObject(raw)) throw new ScimError(400, "invalidValue", `${part.urn} must be an object of its attributes.`);
      for (const [subKey, subRaw] of Object.entries(raw)) {
        const attr = part.byName.get(subKey.toLowerCase());
        if (attr) put(part, attr, subRaw, `${part.urn}:${attr.name}`);
      }
      continue;
    }
    const found = findPrefixed(schema, lower) ?? { part: schema.core, attr: schema.core.byName.get(lower) };
    if (found.attr) put(found.part, found.attr, raw, found.part.isCore ? found.attr.name : `${found.part.urn}:${found.attr.name}`);
  }

  for (const [part, ext] of extensions) if (Object.keys(ext).length > 0) doc[part.urn] = ext;
  doc.schemas = [schema.core.urn, ...schema.extensions.filter((p) => p.urn in doc).map((p) => p.urn)];
  for (const attr of schema.core.attributes) {
    if (attr.required && isBlank(doc[attr.name])) throw new ScimError(400, "invalidValue", `${attr.name} is required.`);
  }
  if (resourceType === "Group") assertMembersHaveValues(doc);
  return doc as unknown as ScimUserDoc | ScimGroupDoc;
}

/** RFC 7643 §3: `schemas` is required and names the resource's core schema. */
function assertSchemas(body: JsonObject, schema: ScimResourceSchema): void {
  const schemas = readMember(body, "schemas", `The ${schema.resourceType}`);
  const core = schema.core.urn.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.trim().toLowerCase() === core)) {
    throw new ScimError(400, "invalidSyntax", `A ${schema.resourceType}'s "schemas" must list ${schema.core.urn}.`);
  }
}

/** `urn:…:enterprise:2.0:User:department` or `urn:…:core:2.0:User:userName` as a key. */
function findPrefixed(schema: ScimResourceSchema, lowerKey: string): { part: ScimSchemaPart; attr: ScimAttributeDef | undefined } | undefined {
  const colon = lowerKey.lastIndexOf(":");
  if (colon < 0) return undefined;
  const part = schema.partByUrn.get(lowerKey.slice(0, colon));
  return part ? { part, attr: part.byName.get(lowerKey.slice(colon + 1)) } : { part: schema.core, attr: undefined };
}

function assertOnePrimary(attr: ScimAttributeDef, values: JsonObject[]): void {
  if (values.filter((v) => v.primary === true).length > 1) throw new ScimError(400, "invalidValue", `Only one of ${attr.name} can be primary.`);
}

function assertMembersHaveValues(doc: JsonObject): void {
  const members = doc.members;
  if (!Array.isArray(members)) return;
  members.forEach((m: JsonObject, i) => {
    if (typeof m.value !== "string" || m.value === "") throw new ScimError(400, "invalidValue", `members[${i}] needs a "value": the member's id.`);
  });
  const seen = new Set<string>();
  doc.members = members.filter((m: JsonObject) => !seen.has(m.value as string) && seen.add(m.value as string));
}

