import type { AttrPath, ScimPath } from "./ast";
import { isAttrName, toAttrPath } from "./attr-path";
import { checkText, failAt, lex, type Source, type Token } from "./lex";
import { ScimFilterError } from "./errors";
import { describe, FilterParser } from "./parse-filter";

const PATH: Source = { field: "path", scimType: "invalidPath" };

/**
 * Parses a PATCH path (RFC 7644 §3.5.2): `attrPath` or `valuePath ["." subAttr]`, such as
 * `emails[type eq "work"].value`. The path's shape is answered invalidPath; a broken filter
 * inside its brackets is answered invalidFilter, as §3.12 assigns.
 */
export function parseScimPath(text: string): ScimPath {
  checkText(text, PATH);
  // The parser's own errors are the bracketed filter's (invalidFilter); the path's shape uses PATH.
  const inBrackets: Source = { field: "path", scimType: "invalidFilter" };
  const parser = new FilterParser(lexPath(text, inBrackets), inBrackets);
  const first = parser.next();
  if (first.type !== "word") failAt(PATH, first.pos, `expected an attribute name but found ${describe(first)}`);
  const attr = toAttrPath(first.text, first.pos, PATH);
  const path: ScimPath = { attr, text };
  if (parser.peek().type === "lbracket") {
    const valuePath = parser.parseValuePath(attr, first, 0, undefined);
    if (valuePath.kind === "valuePath") path.filter = valuePath.filter;
    if (parser.peek().type === "dot") {
      parser.next();
      const sub = parser.next();
      if (sub.type !== "word" || !isAttrName(sub.text)) failAt(PATH, sub.pos, `expected a sub-attribute name after "]." but found ${describe(sub)}`);
      path.sub = sub.text.toLowerCase();
    }
  }
  const rest = parser.peek();
  if (rest.type !== "end") failAt(PATH, rest.pos, `unexpected ${describe(rest)} after the path`);
  return path;
}

/** Tokens of a path; a character refused before any "[" is the path's shape (invalidPath), not a filter's. */
function lexPath(text: string, inBrackets: Source): Token[] {
  try {
    return lex(text, inBrackets);
  } catch (error) {
    const bracket = text.indexOf("[");
    if (error instanceof ScimFilterError && error.position !== undefined && (bracket < 0 || error.position < bracket)) {
      throw new ScimFilterError(PATH.scimType, error.message, error.position);
    }
    throw error;
  }
}

/**
 * One attribute path alone (`sortBy`, the `attributes` lists): `[URN ":"] name ["." sub]`.
 * `field` names the parameter in messages.
 */
export function parseScimAttrPath(text: string, field = "attribute path", scimType: Source["scimType"] = "invalidPath"): AttrPath {
  const source: Source = { field, scimType };
  const tokens = lex(checkText(text, source), source);
  const [only, end] = tokens as [Token, Token]; // lex() ends every list with an "end" token
  if (only.type !== "word") failAt(source, only.pos, `expected an attribute name but found ${describe(only)}`);
  if (end.type !== "end") failAt(source, end.pos, `unexpected ${describe(end)} after the attribute name`);
  return toAttrPath(only.text, only.pos, source);
}
