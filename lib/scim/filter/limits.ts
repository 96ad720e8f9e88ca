/** Longer filters are refused before parsing: no IdP sends one, and the parser's work stays bounded. */
export const MAX_FILTER_LENGTH = 4096;
/** Nesting of parentheses, `not` and brackets; refused beyond, so deep input is an error, never a stack overflow. */
export const MAX_FILTER_DEPTH = 32;
/**
 * EXISTS subqueries one filter may compile to (after or-ed tests of one attribute share one):
 * each runs per candidate row, so 150 of them cost seconds on a few hundred rows. IdPs send one or two.
 */
export const MAX_FILTER_SUBQUERIES = 16;
