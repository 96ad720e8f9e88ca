import type { AttrPath } from "./ast";
import { failAt, type Source } from "./lex";

// RFC 7643 §2.1 ATTRNAME, plus "$ref" (members.$ref, manager.$ref), which the schemas themselves use.
const ATTR_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const SCHEMA_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]*(?::[A-Za-z0-9._-]+)+$/i;

export function isAttrName(name: string): boolean {
  return ATTR_NAME.test(name);
}

/**
 * `[URN ":"] ATTRNAME ["." ATTRNAME]`. The schema is everything before the last ':' (attribute
 * names hold none, while URNs hold '.' as in "2.0"); names are lower-cased, the text kept.
 */
export function toAttrPath(word: string, pos: number, source: Source): AttrPath {
  const colon = word.lastIndexOf(":");
  const schema = colon >= 0 ? word.slice(0, colon) : undefined;
  if (schema !== undefined && !SCHEMA_URN.test(schema)) {
    failAt(source, pos, `"${schema}" is not a schema URN (such as urn:ietf:params:scim:schemas:core:2.0:User)`);
  }
  const parts = word.slice(colon + 1).split(".");
  if (parts.length > 2) failAt(source, pos, `"${word}" has more than one sub-attribute (write attribute.subAttribute)`);
  for (const part of parts) {
    if (!isAttrName(part)) failAt(source, pos, `"${part || word}" is not an attribute name (a letter, then letters, digits, - or _)`);
  }
  const [attr = "", sub] = parts;
  const path: AttrPath = { attr: attr.toLowerCase(), text: word };
  if (schema !== undefined) path.schema = schema.toLowerCase();
  if (sub !== undefined) path.sub = sub.toLowerCase();
  return path;
}
