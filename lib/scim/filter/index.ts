/**
 * SCIM filters, PATCH paths and sorting (RFC 7644 §3.4.2.2, §3.4.2.3, §3.5.2): parsed with limits
 * (length, depth, NUL, lone surrogates), compiled to SQL with every value bound, never run in memory.
 *
 * Semantics the callers rely on:
 * - names and operators are case-insensitive; AttrPath names come lower-cased;
 * - caseExact=false compares lower-cased (the `folded` key column, else ICU lower() on both sides);
 *   ordering of text is by code point (COLLATE "C"); co/sw/ew match % _ \ literally;
 * - a missing value matches nothing but `ne` (`ne` is `not eq`); `pr` treats "" as missing;
 * - a multi-valued attribute matches when one element does (one EXISTS per expression and per
 *   value path); `emails eq x` compares the primary sub-attribute (`primarySub`), `emails pr` any element;
 * - dateTime compares instants (timestamptz), numbers compare as numeric from the literal's text;
 * - errors are ScimFilterError (HTTP 400, scimType invalidFilter / invalidPath / invalidValue).
 */
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, MAX_FILTER_SUBQUERIES } from "./limits";
export { ScimFilterError, type ScimFilterErrorType } from "./errors";
export type { AttrPath, CompareOp, ScimFilter, ScimPath, ScimValue } from "./ast";
export type { ScimAttribute, ScimAttributeMap, ScimAttributeType, ScimColumnAttribute, ScimMultiAttribute } from "./attribute-map";
export { parseScimFilter } from "./parse-filter";
export { parseScimPath, parseScimAttrPath } from "./parse-path";
export { compileScimFilter } from "./compile-filter";
export { compileScimSort } from "./compile-sort";
