import type { AttrPath, CompareOp, ScimFilter, ScimValue } from "./ast";
import { toAttrPath } from "./attr-path";
import { checkText, failAt, lex, type Source, type Token } from "./lex";
import { MAX_FILTER_DEPTH } from "./limits";

const COMPARE_OPS = new Set<string>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const FILTER: Source = { field: "filter", scimType: "invalidFilter" };
// Beyond this exponent a literal overflows (or underflows) a double precision column it is compared
// with, a database error; no attribute means anything by such numbers.
const MAX_EXPONENT = 300;

/** Parses a SCIM filter (RFC 7644 §3.4.2.2): precedence not > and > or; keywords case-insensitive. */
export function parseScimFilter(text: string): ScimFilter {
  const parser = new FilterParser(lex(checkText(text, FILTER), FILTER), FILTER);
  const filter = parser.parseOr(0, undefined);
  parser.expectEnd();
  return filter;
}

/**
 * Recursive descent over the tokens. Recursion only happens at '(', 'not (' and '[', each
 * counted against MAX_FILTER_DEPTH, so hostile nesting is an error, never a stack overflow;
 * and/or chains are loops building flat lists.
 */
export class FilterParser {
  private at = 0;

  constructor(
    private readonly tokens: Token[],
    readonly source: Source,
  ) {}

  peek(offset = 0): Token {
    // lex() always ends the list with an "end" token, which peeking past the end keeps returning.
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    this.at++;
    return token;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.type !== "end") failAt(this.source, token.pos, `unexpected ${describe(token)} (is an "and" or "or" missing?)`);
  }

  /** `parent` is set inside brackets, whose attribute paths name sub-attributes of it. */
  parseOr(depth: number, parent: AttrPath | undefined): ScimFilter {
    const filters = [this.parseAnd(depth, parent)];
    while (isKeyword(this.peek(), "or")) {
      this.next();
      filters.push(this.parseAnd(depth, parent));
    }
    const [only] = filters;
    return filters.length === 1 && only ? only : { kind: "or", filters };
  }

  private parseAnd(depth: number, parent: AttrPath | undefined): ScimFilter {
    const filters = [this.parseUnary(depth, parent)];
    while (isKeyword(this.peek(), "and")) {
      this.next();
      filters.push(this.parseUnary(depth, parent));
    }
    const [only] = filters;
    return filters.length === 1 && only ? only : { kind: "and", filters };
  }

  private parseUnary(depth: number, parent: AttrPath | undefined): ScimFilter {
    const token = this.peek();
    // "not" is a keyword only before "(" (the grammar's `"not" "(" ...`); elsewhere it is a name.
    if (isKeyword(token, "not") && this.peek(1).type === "lparen") {
      this.next();
      return { kind: "not", filter: this.parseGroup(depth, parent) };
    }
    if (isKeyword(token, "not") && this.peek(1).type === "word" && !isOperator(this.peek(1))) {
      failAt(this.source, this.peek(1).pos, 'write "not" as not (...), with the negated filter in parentheses');
    }
    if (token.type === "lparen") return this.parseGroup(depth, parent);
    if (token.type !== "word") failAt(this.source, token.pos, `expected an attribute name, "(" or "not (" but found ${describe(token)}`);
    this.next();
    const attr = toAttrPath(token.text, token.pos, this.source);
    if (parent && (attr.schema !== undefined || attr.sub !== undefined)) {
      failAt(this.source, token.pos, `inside ${parent.text ?? parent.attr}[...] name a sub-attribute of it alone (such as "value"), not "${token.text}"`);
    }
    if (this.peek().type === "lbracket") return this.parseValuePath(attr, token, depth, parent);
    return this.parseComparison(attr, token);
  }

  private parseGroup(depth: number, parent: AttrPath | undefined): ScimFilter {
    const open = this.next();
    this.checkDepth(depth + 1, open);
    const inner = this.parseOr(depth + 1, parent);
    this.expect("rparen", `a ")" to close the "(" at character ${open.pos + 1}`);
    return inner;
  }

  parseValuePath(attr: AttrPath, token: Token, depth: number, parent: AttrPath | undefined): ScimFilter {
    const open = this.next();
    if (parent) failAt(this.source, open.pos, "brackets cannot be nested inside brackets");
    if (attr.sub !== undefined) failAt(this.source, open.pos, `brackets follow a multi-valued attribute such as "emails", not the sub-attribute "${token.text}"`);
    this.checkDepth(depth + 1, open);
    const filter = this.parseOr(depth + 1, attr);
    this.expect("rbracket", `a "]" to close the "[" at character ${open.pos + 1}`);
    return { kind: "valuePath", attr, filter };
  }

  private parseComparison(attr: AttrPath, attrToken: Token): ScimFilter {
    const opToken = this.next();
    const op = opToken.type === "word" ? opToken.text.toLowerCase() : "";
    if (op === "pr") return { kind: "present", attr };
    if (!COMPARE_OPS.has(op)) {
      failAt(this.source, opToken.pos, `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after "${attrToken.text}" but found ${describe(opToken)}`);
    }
    const valueToken = this.next();
    const literal = this.readValue(valueToken, op);
    const filter: ScimFilter = { kind: "compare", attr, op: op as CompareOp, value: literal.value };
    if (literal.numberText !== undefined) filter.numberText = literal.numberText;
    return filter;
  }

  private readValue(token: Token, op: string): { value: ScimValue; numberText?: string } {
    if (token.type === "string") return { value: token.value ?? "" };
    if (token.type === "number") {
      const value = Number(token.text);
      const exponent = /[eE]([+-]?\d+)$/.exec(token.text);
      if (!Number.isFinite(value) || (exponent && Math.abs(Number(exponent[1])) > MAX_EXPONENT)) {
        failAt(this.source, token.pos, `the number ${token.text} is out of range`, "invalidValue");
      }
      return { value, numberText: token.text };
    }
    if (token.type === "word") {
      const word = token.text.toLowerCase();
      if (word === "true") return { value: true };
      if (word === "false") return { value: false };
      if (word === "null") return { value: null };
    }
    return failAt(this.source, token.pos, `expected a value after "${op}" (a "quoted string", a number, true, false or null) but found ${describe(token)}`);
  }

  checkDepth(depth: number, token: Token): void {
    if (depth > MAX_FILTER_DEPTH) failAt(this.source, token.pos, `it nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses, "not" and brackets`);
  }

  expect(type: Token["type"], what: string): Token {
    const token = this.next();
    if (token.type !== type) failAt(this.source, token.pos, `expected ${what} but found ${describe(token)}`);
    return token;
  }
}

function isOperator(token: Token): boolean {
  const word = token.text.toLowerCase();
  return word === "pr" || COMPARE_OPS.has(word);
}

function isKeyword(token: Token, keyword: string): boolean {
  return token.type === "word" && token.text.toLowerCase() === keyword;
}

export function describe(token: Token): string {
  if (token.type === "end") return "the end of the text";
  const shown = token.text.length > 40 ? `${token.text.slice(0, 40)}…` : token.text;
  return `"${shown}"`;
}
