/** SCIM filters, PATCH paths and sorting: parsed with limits, compiled to bound SQL, never run in memory. */
export { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from "./limits";
export { ScimFilterError, type ScimFilterErrorType } from "./errors";
export type { AttrPath, CompareOp, ScimFilter, ScimPath, ScimValue } from "./ast";
export type { ScimAttribute, ScimAttributeMap, ScimAttributeType, ScimColumnAttribute, ScimMultiAttribute } from "./attribute-map";
export { parseScimFilter } from "./parse-filter";
export { parseScimPath, parseScimAttrPath } from "./parse-path";
export { compileScimFilter } from "./compile-filter";
export { compileScimSort } from "./compile-sort";
