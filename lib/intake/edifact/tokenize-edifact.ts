import { fail } from "../parse-result";

// Our own EDIFACT tokenizer: the UNA service string advice sets the separators, the release character
// escapes them, and the decimal mark it names (often a comma in EANCOM) is kept for the number readers.
// The `edifact` package's reader validates against its own segment tables and throws; we need every
// problem as a located reason, and unknown segments skipped rather than fatal (ADR 0023).

export type EdifactSegment = { tag: string; elements: string[][]; position: number };
export type EdifactTokens = { segments: EdifactSegment[]; decimalMark: string };

const MAX_SEGMENTS = 500_000;

export function tokenizeEdifact(text: string): EdifactTokens {
  const start = text.search(/\S/);
  let body = start > 0 ? text.slice(start) : text;
  let component = ":", elementSep = "+", decimalMark = ".", release = "?", terminator = "'";
  if (body.startsWith("UNA")) {
    const advice = body.slice(3, 9);
    if (advice.length < 6) fail("envelope", "UNA", "the service string advice is cut short");
    [component, elementSep, decimalMark, release, , terminator] = [...advice] as [string, string, string, string, string, string];
    if (new Set([component, elementSep, release, terminator]).size < 4 && release !== " ") {
      fail("envelope", "UNA", "the service string advice uses one character for two purposes");
    }
    body = body.slice(9);
  }
  if (!/^\s*UNB/.test(body)) fail("envelope", "UNB", "the interchange must begin with an UNB segment (after an optional UNA)");
  const useRelease = release !== " ";
  const segments: EdifactSegment[] = [];
  let elements: string[][] = [[""]];
  const push = (char: string) => { const el = elements[elements.length - 1]!; el[el.length - 1] += char; };
  const close = () => {
    const [[tag = ""] = [], ...rest] = elements;
    const trimmedTag = tag.replace(/^[\r\n\s]+/, "");
    elements = [[""]];
    if (trimmedTag === "" && rest.length === 0) return;
    const position = segments.length + 1;
    if (!/^[A-Z]{3}$/.test(trimmedTag)) fail("syntax", `segment ${position}`, `${JSON.stringify(trimmedTag.slice(0, 12))} is not a segment tag`);
    segments.push({ tag: trimmedTag, elements: rest, position });
    if (segments.length > MAX_SEGMENTS) fail("too-large", `segment ${position}`, `more than ${MAX_SEGMENTS} segments`);
  };
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (useRelease && char === release) {
      if (i + 1 >= body.length) fail("syntax", `segment ${segments.length + 1}`, "the interchange ends on a release character");
      push(body[++i]!);
    } else if (char === terminator) close();
    else if (char === elementSep) elements.push([""]);
    else if (char === component) elements[elements.length - 1]!.push("");
    else push(char);
  }
  const rest = elements.flat().join("").trim();
  if (rest !== "") fail("unterminated", `segment ${segments.length + 1}`, "the last segment has no terminator: the interchange was cut short");
  return { segments, decimalMark };
}

/** Component c (1-based) of element e (1-based) of a segment, or "" when absent. */
export function part(segment: EdifactSegment, e: number, c = 1): string {
  return segment.elements[e - 1]?.[c - 1] ?? "";
}

/** "QTY[2] element 01.2": the occurrence within the message, the element and the component. */
export function at(segment: EdifactSegment, occurrence: number, e?: number, c?: number): string {
  const base = `${segment.tag}[${occurrence}]`;
  if (e === undefined) return base;
  const element = String(e).padStart(2, "0");
  return c === undefined ? `${base} element ${element}` : `${base} element ${element}.${c}`;
}
