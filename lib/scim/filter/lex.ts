import { ScimFilterError, type ScimFilterErrorType } from "./errors";
import { MAX_FILTER_LENGTH } from "./limits";

export type TokenType = "word" | "string" | "number" | "lparen" | "rparen" | "lbracket" | "rbracket" | "dot" | "end";

/** `value` is a string literal's decoded text; `pos` is the 0-based offset of the token's first character. */
export type Token = { type: TokenType; text: string; pos: number; value?: string };

/** Which parameter is being read, so every message names it and answers with its scimType. */
export type Source = { field: string; scimType: ScimFilterErrorType };

const PUNCTUATION: Record<string, TokenType> = { "(": "lparen", ")": "rparen", "[": "lbracket", "]": "rbracket", ".": "dot" };
// Attribute names, keywords and schema URNs (which hold ':' and '.', as in "...:2.0:User:name.givenName").
const WORD = /[A-Za-z$][A-Za-z0-9:._$-]*/y;
// JSON's number grammar (RFC 8259 §6).
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const SPACE = /[ \t\r\n]/;

export function failAt(source: Source, pos: number, reason: string, scimType = source.scimType): never {
  throw new ScimFilterError(scimType, `The ${source.field} is not valid at character ${pos + 1}: ${reason}.`, pos);
}

/** Refuses, before any parsing, what no parser should be handed: wrong type, empty, too long, NUL, lone surrogates. */
export function checkText(text: unknown, source: Source): string {
  if (typeof text !== "string") throw new ScimFilterError(source.scimType, `The ${source.field} must be text.`);
  if (text.length > MAX_FILTER_LENGTH) throw new ScimFilterError(source.scimType, `The ${source.field} is longer than ${MAX_FILTER_LENGTH} characters.`);
  if (text.trim() === "") throw new ScimFilterError(source.scimType, `The ${source.field} is empty.`);
  const nul = text.indexOf("\u0000");
  // PostgreSQL text cannot hold NUL, so it must never reach a bound parameter.
  if (nul >= 0) failAt(source, nul, "it contains a NUL character");
  const surrogate = findLoneSurrogate(text);
  if (surrogate >= 0) failAt(source, surrogate, "it contains a broken character (a lone UTF-16 surrogate)");
  return text;
}

export function findLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

export function lex(text: string, source: Source): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    const punct = PUNCTUATION[ch];
    if (punct) {
      tokens.push({ type: punct, text: ch, pos: i });
      i++;
    } else if (ch === '"') {
      const end = findStringEnd(text, i, source);
      tokens.push({ type: "string", text: text.slice(i, end), pos: i, value: decodeString(text.slice(i, end), i, source) });
      i = end;
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      i = pushMatch(tokens, NUMBER, "number", text, i) ?? failAt(source, i, `"${ch}" does not begin a number`);
    } else {
      i = pushMatch(tokens, WORD, "word", text, i) ?? failAt(source, i, `unexpected character "${ch}"`);
    }
  }
  tokens.push({ type: "end", text: "", pos: text.length });
  return tokens;
}

function pushMatch(tokens: Token[], pattern: RegExp, type: TokenType, text: string, at: number): number | undefined {
  pattern.lastIndex = at;
  const m = pattern.exec(text);
  if (!m) return undefined;
  tokens.push({ type, text: m[0], pos: at });
  return at + m[0].length;
}

function findStringEnd(text: string, start: number, source: Source): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text.charAt(i) === "\\") i++;
    else if (text.charAt(i) === '"') return i + 1;
  }
  return failAt(source, start, "this string is never closed (a \" is missing)");
}

function decodeString(raw: string, pos: number, source: Source): string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return failAt(source, pos, "this string is not a valid JSON string (check its \\ escapes, and write control characters as \\u escapes)");
  }
  const text = value as string;
  if (text.includes("\u0000")) failAt(source, pos, "this string contains a NUL character (\\u0000)");
  if (findLoneSurrogate(text) >= 0) failAt(source, pos, "this string contains a lone UTF-16 surrogate escape");
  return text;
}
