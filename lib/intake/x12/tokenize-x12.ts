import { fail } from "../parse-result";

// Our own X12 tokenizer, driven by the ISA itself: the element separator is the character after "ISA", the
// component separator is ISA16 and the segment terminator is what follows it. node-x12 reads them at fixed
// offsets (103 and 105), which breaks on senders that do not pad ISA06/ISA08 (ADR 0023).

export type X12Segment = { id: string; elements: string[]; position: number };
export type X12Tokens = { segments: X12Segment[]; elementSeparator: string; componentSeparator: string; terminator: string };

const MAX_SEGMENTS = 500_000;

export function tokenizeX12(text: string): X12Tokens {
  const start = text.search(/\S/);
  const body = start > 0 ? text.slice(start) : text;
  if (!body.startsWith("ISA")) fail("envelope", "ISA", "the interchange must begin with an ISA segment");
  const elementSeparator = body.charAt(3);
  if (!elementSeparator || /[A-Za-z0-9\s]/.test(elementSeparator)) {
    fail("envelope", "ISA", `the element separator after "ISA" must be a symbol, not ${JSON.stringify(elementSeparator)}`);
  }
  const isa16At = nthIndexOf(body, elementSeparator, 16);
  if (isa16At < 0) fail("envelope", "ISA", "the ISA segment has fewer than 16 elements");
  const componentSeparator = body.charAt(isa16At + 1);
  const terminator = readTerminator(body, isa16At + 2);
  if (componentSeparator === elementSeparator || componentSeparator === terminator || /[A-Za-z0-9]/.test(componentSeparator)) {
    fail("envelope", "ISA element 16", `component separator ${JSON.stringify(componentSeparator)} is not usable`);
  }
  const segments: X12Segment[] = [];
  for (const raw of body.split(terminator)) {
    // A terminator followed by a line break is common ("~\n"): the break is layout, not data.
    const trimmed = raw.replace(/^[\r\n]+|[\r\n]+$/g, "");
    if (trimmed === "") continue;
    const [id = "", ...elements] = trimmed.split(elementSeparator);
    const position = segments.length + 1;
    if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) fail("syntax", `segment ${position}`, `${JSON.stringify(id.slice(0, 12))} is not a segment id`);
    segments.push({ id, elements, position });
    if (segments.length > MAX_SEGMENTS) fail("too-large", `segment ${position}`, `more than ${MAX_SEGMENTS} segments`);
  }
  return { segments, elementSeparator, componentSeparator, terminator };
}

function readTerminator(body: string, at: number): string {
  const char = body.charAt(at);
  if (char === "") fail("envelope", "ISA", "the interchange ends inside the ISA segment");
  if (char === "\r") return body.charAt(at + 1) === "\n" ? "\r\n" : "\r";
  if (/[A-Za-z0-9 ]/.test(char)) fail("envelope", "ISA", `segment terminator ${JSON.stringify(char)} after ISA16 is not usable`);
  return char;
}

function nthIndexOf(text: string, needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** Element n (1-based, as X12 numbers them) of a segment, or "" when absent. */
export function element(segment: X12Segment, n: number): string {
  return segment.elements[n - 1] ?? "";
}

/** "PO1[3] element 04": the segment's occurrence within its transaction set and the element, X12-style. */
export function where(segment: X12Segment, occurrence: number, n?: number): string {
  const base = `${segment.id}[${occurrence}]`;
  return n === undefined ? base : `${base} element ${String(n).padStart(2, "0")}`;
}
